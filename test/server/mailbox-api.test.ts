import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { EMBED_SECRET, startHarness, type Harness } from "../support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const json = { "Content-Type": "application/json" };

describe("the mailbox API", () => {
  it("answers no mailbox, and which methods are on, before anything is set up", async () => {
    const res = await h.request
      .get("/api/mailbox")
      .auth(await h.token("empty"), { type: "bearer" });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      mailbox: null,
      methods: { smtp: true, google: false, microsoft: false },
    });
  });

  it("creates a mailbox in the created state, with the address lower-cased", async () => {
    const token = await h.token("create");

    const res = await h.request
      .post("/api/mailbox")
      .auth(token, { type: "bearer" })
      .send({ displayName: "Acme People Team", address: "People@Acme.example" });

    expect(res.status).toBe(201);
    expect(res.body.mailbox).toMatchObject({
      displayName: "Acme People Team",
      address: "people@acme.example",
      status: "created",
      method: null,
      smtp: null,
      account: null,
      lastError: null,
      activatedAt: null,
      deactivatedAt: null,
    });
    const events = await h.request.get("/api/mailbox/events").auth(token, { type: "bearer" });
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual(["mailbox.created"]);
  });

  it("refuses a second mailbox for the same tenant with mailbox_exists", async () => {
    const token = await h.token("twice");
    const body = { displayName: "HR", address: "hr@twice.example" };
    await h.request.post("/api/mailbox").auth(token, { type: "bearer" }).send(body).expect(201);

    const res = await h.request.post("/api/mailbox").auth(token, { type: "bearer" }).send(body);

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("mailbox_exists");
  });

  it("deletes a mailbox, and then answers no_mailbox", async () => {
    const token = await h.token("delete");
    await h.request
      .post("/api/mailbox")
      .auth(token, { type: "bearer" })
      .send({ displayName: "HR", address: "hr@delete.example" });

    await h.request.delete("/api/mailbox").auth(token, { type: "bearer" }).expect(204);

    const again = await h.request.delete("/api/mailbox").auth(token, { type: "bearer" });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("no_mailbox");
    const get = await h.request.get("/api/mailbox").auth(token, { type: "bearer" });
    expect(get.body.mailbox).toBeNull();
  });

  it("keeps each tenant to its own mailbox", async () => {
    const a = await h.token("tenant-a");
    const b = await h.token("tenant-b");
    await h.request
      .post("/api/mailbox")
      .auth(a, { type: "bearer" })
      .send({ displayName: "A", address: "hr@a.example" })
      .expect(201);

    const seenByB = await h.request.get("/api/mailbox").auth(b, { type: "bearer" });
    const deleteByB = await h.request.delete("/api/mailbox").auth(b, { type: "bearer" });
    const smtpByB = await h.request
      .put("/api/mailbox/smtp")
      .auth(b, { type: "bearer" })
      .send({ username: "x", password: "y", host: "smtp.b.example", port: 587, secure: true });

    expect(seenByB.body.mailbox).toBeNull();
    expect(deleteByB.status).toBe(404);
    expect(smtpByB.status).toBe(404);
    const seenByA = await h.request.get("/api/mailbox").auth(a, { type: "bearer" });
    expect(seenByA.body.mailbox).toMatchObject({ address: "hr@a.example", status: "created" });
  });

  it("answers calls made together for many tenants each with its own mailbox or none", async () => {
    const tenants = Array.from({ length: 12 }, (_, n) => `together-${n}`);
    const tokens = await Promise.all(tenants.map((tenant) => h.token(tenant)));
    await Promise.all(
      tenants.map((tenant, n) =>
        n % 3 === 0
          ? Promise.resolve()
          : h.request
              .post("/api/mailbox")
              .auth(tokens[n]!, { type: "bearer" })
              .send({ displayName: "HR", address: `hr@${tenant}.example` })
              .expect(201),
      ),
    );

    const answers = await Promise.all(
      [...tokens, ...tokens].map((token) =>
        h.request.get("/api/mailbox").auth(token, { type: "bearer" }),
      ),
    );

    answers.forEach((res, index) => {
      const n = index % tenants.length;
      expect(res.status).toBe(200);
      if (n % 3 === 0) expect(res.body.mailbox).toBeNull();
      else expect(res.body.mailbox.address).toBe(`hr@${tenants[n]}.example`);
    });
  });

  it("answers a read asked after a change, while other reads are under way, with the change", async () => {
    const token = await h.token("read-after-write");
    const others = Array.from({ length: 20 }, () =>
      h.request.get("/api/mailbox").auth(token, { type: "bearer" }).then(),
    );

    await h.request
      .post("/api/mailbox")
      .auth(token, { type: "bearer" })
      .send({ displayName: "HR", address: "hr@read-after-write.example" })
      .expect(201);
    const after = await h.request.get("/api/mailbox").auth(token, { type: "bearer" });

    expect(after.body.mailbox).toMatchObject({ address: "hr@read-after-write.example" });
    await Promise.all(others);
  });

  it("answers the test call of a mailbox without a connection with not_configured", async () => {
    const token = await h.token("unconnected");
    await h.request
      .post("/api/mailbox")
      .auth(token, { type: "bearer" })
      .send({ displayName: "HR", address: "hr@unconnected.example" });

    const res = await h.request.post("/api/mailbox/test").auth(token, { type: "bearer" });

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("not_configured");
  });

  it("reports a healthy database on /healthz", async () => {
    const res = await h.request.get("/healthz");

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });
});

describe("bad input", () => {
  const cases: [string, unknown, string][] = [
    ["a missing display name", { address: "hr@x.example" }, "displayName"],
    ["an empty display name", { displayName: "  ", address: "hr@x.example" }, "displayName"],
    [
      "a display name with a line break",
      { displayName: "HR\r\nBcc: x@evil.example", address: "hr@x.example" },
      "displayName",
    ],
    [
      "a display name of 101 characters",
      { displayName: "x".repeat(101), address: "hr@x.example" },
      "displayName",
    ],
    ["an address that is not one", { displayName: "HR", address: "not-an-address" }, "address"],
    [
      "an address with a line break",
      { displayName: "HR", address: "hr@x.example\nBcc: y@z.example" },
      "address",
    ],
    ["an address of the wrong type", { displayName: "HR", address: 42 }, "address"],
  ];

  it.each(cases)(
    "refuses %s with invalid_input naming the field, and stores nothing",
    async (_name, body, field) => {
      const token = await h.token("bad-create");

      const res = await h.request
        .post("/api/mailbox")
        .auth(token, { type: "bearer" })
        .send(body as object);

      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: "invalid_input", field });
      expect(res.body.error.message).toContain(field);
      const get = await h.request.get("/api/mailbox").auth(token, { type: "bearer" });
      expect(get.body.mailbox).toBeNull();
    },
  );

  const smtpCases: [string, Record<string, unknown>, string][] = [
    ["port 0", { port: 0 }, "port"],
    ["port 65536", { port: 65536 }, "port"],
    ["a port in quotes", { port: "587" }, "port"],
    ["a fractional port", { port: 587.5 }, "port"],
    ["a host with a scheme", { host: "smtp://mail.example.com" }, "host"],
    ["a host with a port", { host: "mail.example.com:587" }, "host"],
    ["a TLS flag that is not a boolean", { secure: "yes" }, "secure"],
    ["a username with a line break", { username: "a\r\nb" }, "username"],
    ["a password with a line break", { password: "a\r\nAUTH" }, "password"],
  ];

  it.each(smtpCases)(
    "refuses SMTP settings with %s, keeping the mailbox as it was",
    async (_n, change, field) => {
      const token = await h.token("bad-smtp");
      await h.request
        .post("/api/mailbox")
        .auth(token, { type: "bearer" })
        .send({ displayName: "HR", address: "hr@bad-smtp.example" });
      const valid = {
        username: "hr@bad-smtp.example",
        password: "pw",
        host: "mail.example.com",
        port: 587,
        secure: true,
      };

      const res = await h.request
        .put("/api/mailbox/smtp")
        .auth(token, { type: "bearer" })
        .send({ ...valid, ...change });

      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: "invalid_input", field });
      const get = await h.request.get("/api/mailbox").auth(token, { type: "bearer" });
      expect(get.body.mailbox).toMatchObject({ status: "created", smtp: null });
    },
  );

  it("requires a password the first time SMTP is saved", async () => {
    const token = await h.token("no-password");
    await h.request
      .post("/api/mailbox")
      .auth(token, { type: "bearer" })
      .send({ displayName: "HR", address: "hr@no-password.example" });

    const res = await h.request
      .put("/api/mailbox/smtp")
      .auth(token, { type: "bearer" })
      .send({ username: "hr", host: "mail.example.com", port: 587, secure: true });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "invalid_input", field: "password" });
  });

  it("answers malformed JSON with 400 malformed_json", async () => {
    const res = await h.request
      .post("/api/mailbox")
      .auth(await h.token("malformed"), { type: "bearer" })
      .set(json)
      .send('{"displayName": "HR",');

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("malformed_json");
  });

  it("answers an oversized body with 413 payload_too_large", async () => {
    const res = await h.request
      .post("/api/mailbox")
      .auth(await h.token("oversized"), { type: "bearer" })
      .send({ displayName: "HR", address: "hr@x.example", padding: "x".repeat(100_000) });

    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("answers an unknown route with a JSON 404", async () => {
    const res = await h.request
      .get("/api/nothing-here")
      .auth(await h.token("unknown"), { type: "bearer" });

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});

describe("the embed token", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, secret = EMBED_SECRET, alg = "HS256") =>
    new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
  const good = () => ({ tenant: "t", sub: "u1", email: "admin@t.example", exp: now() + 600 });

  const refusals: [string, () => Promise<string | undefined>][] = [
    ["no token at all", async () => undefined],
    [
      "a token signed with another secret",
      () => sign(good(), "another-secret-another-secret-1234"),
    ],
    ["an expired token", () => sign({ ...good(), exp: now() - 120 })],
    ["a token that lives longer than an hour", () => sign({ ...good(), exp: now() + 7200 })],
    ["a token without a tenant", () => sign({ ...good(), tenant: undefined })],
    ["a token without an email", () => sign({ ...good(), email: undefined })],
    ["a token without an expiry", () => sign({ ...good(), exp: undefined })],
    [
      "an unsigned token (alg none)",
      async () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
        return `${part({ alg: "none", typ: "JWT" })}.${part(good())}.`;
      },
    ],
    ["garbage", async () => "not.a.token"],
  ];

  it.each(refusals)("refuses %s with 401 unauthorized", async (_name, make) => {
    const token = await make();
    const req = h.request.get("/api/mailbox");
    if (token) req.set("Authorization", `Bearer ${token}`);

    const res = await req;

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });

  it("ignores a tenant named in the request: only the token's counts", async () => {
    const token = await h.token("token-tenant");

    await h.request
      .post("/api/mailbox?tenant=other")
      .auth(token, { type: "bearer" })
      .send({ displayName: "HR", address: "hr@token-tenant.example", tenant: "other" })
      .expect(201);

    const other = await h.request
      .get("/api/mailbox")
      .auth(await h.token("other"), { type: "bearer" });
    expect(other.body.mailbox).toBeNull();
  });
});
