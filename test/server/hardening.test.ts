import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryFile } from "../support/database.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { adminOf } from "../support/steps.js";

let h: Harness;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  h = await startHarness({ demo: { enabled: true, smtpPort: 0 } });
});
afterAll(async () => {
  await h.close();
  await sink.close();
});

describe("security headers", () => {
  it("sends helmet's headers and a strict Content-Security-Policy on the pages it serves", async () => {
    const page = await h.request.get("/");

    expect(page.status).toBe(200);
    const csp = page.headers["content-security-policy"];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["strict-transport-security"]).toBeDefined();
    expect(page.headers["x-powered-by"]).toBeUndefined();
  });

  it("sends the same headers on API answers, errors included", async () => {
    const res = await h.request.get("/api/mailbox");

    expect(res.status).toBe(401);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toBeDefined();
  });
});

describe("CORS", () => {
  it("lets an allowed host page call the API", async () => {
    const res = await h.request
      .options("/api/mailbox")
      .set("Origin", "http://host.example")
      .set("Access-Control-Request-Method", "POST")
      .set("Access-Control-Request-Headers", "authorization,content-type");

    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("http://host.example");
    expect(res.headers["access-control-allow-headers"]).toContain("Authorization");
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("gives any other origin no CORS permission", async () => {
    const res = await h.request.get("/api/mailbox").set("Origin", "http://evil.example");

    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("lets any page load the widget bundle as a module", async () => {
    const res = await h.request
      .get("/build/email-integration.js")
      .set("Origin", "http://anywhere.example");

    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["cross-origin-resource-policy"]).toBe("cross-origin");
  });
});

describe("rate limits", () => {
  it("allows ten test mails a minute per tenant, then answers 429 rate_limited, without touching others", async () => {
    const admin = adminOf(h, await h.token("limited"));
    await admin.create("hr@limited.example").expect(201);
    await admin.smtp({ port: sink.port }).expect(200);

    const statuses = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await admin.test()).status);
    const other = await adminOf(h, await h.token("not-limited")).test();

    expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
    const limited = await admin.test();
    expect(limited.body.error.code).toBe("rate_limited");
    expect(other.status).toBe(404);
  });
});

/** A small seeded generator, so a failing payload can be found again from the seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  const strings = [
    "",
    " ",
    "a\r\nBcc: victim@example.com",
    "x".repeat(5000),
    "hr@acme.example",
    "not-an-address",
    "<script>alert(1)</script>",
    "'; DROP TABLE mailboxes; --",
    "\u0000\u0001",
    "смтп.пример",
    "127.0.0.1",
    "smtp.example.com",
    "../../etc/passwd",
    "💌",
  ];
  const value = (depth: number): unknown => {
    const kind = pick(["string", "number", "bool", "null", "array", "object", "undefined"]);
    if (kind === "string") return pick(strings);
    if (kind === "number")
      return pick([0, -1, 1, 25, 465, 587, 65535, 65536, 1e309, 3.5, Number.MAX_SAFE_INTEGER]);
    if (kind === "bool") return next() < 0.5;
    if (kind === "null") return null;
    if (kind === "undefined" || depth > 2) return undefined;
    if (kind === "array")
      return Array.from({ length: Math.floor(next() * 3) }, () => value(depth + 1));
    const keys = [
      "displayName",
      "address",
      "username",
      "password",
      "host",
      "port",
      "secure",
      "tenant",
      "__proto__",
      "constructor",
    ];
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 6) }, () => [pick(keys), value(depth + 1)]),
    );
  };
  const body = (): { raw: string; type: string } => {
    const shape = pick(["json", "json", "json", "broken", "text", "huge"]);
    if (shape === "broken")
      return {
        raw: pick(['{"a":', "[1,2", "{'single':1}", "nul", '{"a":1}}']),
        type: "application/json",
      };
    if (shape === "text")
      return {
        raw: pick(strings),
        type: pick(["text/plain", "application/x-www-form-urlencoded"]),
      };
    if (shape === "huge")
      return { raw: JSON.stringify({ displayName: "x".repeat(70_000) }), type: "application/json" };
    return { raw: JSON.stringify(value(0)) ?? "null", type: "application/json" };
  };
  return { next, pick, body };
}

describe("fuzzing every route", () => {
  it("answers many malformed and random payloads with a JSON error code, never a 5xx, and changes nothing", async () => {
    const token = await h.token("fuzzed");
    await adminOf(h, token).create("hr@fuzzed.example").expect(201);
    await adminOf(h, token).smtp({ port: sink.port }).expect(200);
    const snapshot = () =>
      queryFile(h.databaseFile, "SELECT * FROM mailboxes WHERE tenant = 'fuzzed'").then((rows) =>
        JSON.stringify(rows),
      );
    const before = await snapshot();
    const routes: [string, string][] = [
      ["GET", "/api/mailbox"],
      ["POST", "/api/mailbox"],
      ["DELETE", "/api/mailbox"],
      ["PUT", "/api/mailbox/smtp"],
      ["GET", "/api/mailbox/events"],
      ["PATCH", "/api/mailbox"],
      ["POST", "/api/mailbox/oauth/google"],
      ["POST", "/api/mailbox/oauth/yahoo"],
      ["GET", "/demo/token"],
    ];
    const gen = random(20261203);
    const tokens = [
      `Bearer ${token}`,
      "Bearer ",
      `Bearer ${token}x`,
      "Basic YTpi",
      `bearer ${token}`,
      "",
    ];

    const failures: string[] = [];
    for (let i = 0; i < 400; i += 1) {
      const [method, path] = gen.pick(routes);
      const auth = gen.pick(tokens);
      // Deleting with a valid token is the one call that is meant to change the mailbox.
      if (method === "DELETE" && auth === `Bearer ${token}`) continue;
      const { raw, type } = gen.body();
      const query =
        gen.next() < 0.3
          ? `?tenant=${encodeURIComponent(gen.pick(["other", "../x", "a".repeat(300)]))}`
          : "";

      const req = h.request[method.toLowerCase() as "get"](path + query).set("Content-Type", type);
      if (auth) req.set("Authorization", auth);
      const res = await req.send(raw);

      const ok =
        res.status < 500 && (res.status < 400 || typeof res.body?.error?.code === "string");
      if (!ok)
        failures.push(
          `${method} ${path}${query} ${type} ${raw.slice(0, 80)} → ${res.status} ${res.text.slice(0, 120)}`,
        );
    }

    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });
});

describe("rate limits on consent", () => {
  it("allows ten consent starts a minute per tenant, then answers 429 rate_limited", async () => {
    const google = {
      clientId: "id",
      clientSecret: "secret",
      endpoints: {
        authUrl: "https://accounts.example/auth",
        tokenUrl: "https://accounts.example/token",
        userinfoUrl: "https://accounts.example/userinfo",
        revokeUrl: "https://accounts.example/revoke",
        gmailApiUrl: "https://gmail.example",
      },
    };
    const withGoogle = await startHarness({ google });
    try {
      const admin = adminOf(withGoogle, await withGoogle.token("consent-limited"));
      await admin.create("hr@consent-limited.example").expect(201);
      const start = () =>
        withGoogle.request.post("/api/mailbox/oauth/google").auth(admin.token, { type: "bearer" });

      const statuses = [];
      for (let i = 0; i < 11; i += 1) statuses.push((await start()).status);

      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses[10]).toBe(429);
      expect((await start()).body.error.code).toBe("rate_limited");
    } finally {
      await withGoogle.close();
    }
  });
});
