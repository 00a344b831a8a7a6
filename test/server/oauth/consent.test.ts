import sqlite3 from "sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  HOST_ORIGIN,
  consentAddress,
  createMailbox,
  getEvents,
  getMailbox,
  pathOf,
  readPage,
  runConsent,
  startWorld,
  visitProvider,
  type Provider,
  type World,
} from "./world.js";

const ADDRESS = "hr@acme.example";
let world: World;

beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => world.close());

describe.each(["google", "microsoft"] as const)("%s consent in the popup", (provider) => {
  beforeEach(async () => {
    world.fakes(provider).idp.account = ADDRESS;
    await createMailbox(world, "acme", ADDRESS);
  });

  it("stores the consent, marks the mailbox configured with the account, and reports to the opener", async () => {
    const outcome = await runConsent(world, provider, "acme");

    expect(outcome.page.status).toBe(200);
    expect(outcome.report).toEqual({ type: "email-integration:oauth", provider, ok: true });
    expect(outcome.targets).toEqual([HOST_ORIGIN]);
    const { mailbox } = await getMailbox(world, "acme");
    expect(mailbox).toMatchObject({
      status: "configured",
      method: provider,
      account: ADDRESS,
      smtp: null,
      lastError: null,
    });
    const events = await getEvents(world, "acme");
    expect(events[0]).toMatchObject({ type: "connection.saved" });
    expect(events[0]!.detail).toContain(`consent given by ${ADDRESS}`);
  });

  it("ends on a page that obeys the CSP: its only script is a static file, its data inert JSON", async () => {
    const { page } = await runConsent(world, provider, "acme");

    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["cross-origin-opener-policy"]).toBe("unsafe-none");
    expect(page.headers["cache-control"]).toBe("no-store");
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((match) => match[1]!.trim());
    expect(scripts).toEqual([
      'src="/auth/oauth-result.js" defer',
      'type="application/json" id="consent-report"',
    ]);

    const script = await world.h.request.get("/auth/oauth-result.js");
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toMatch(/javascript/);
    expect(script.text).toContain("window.opener.postMessage(report, origin)");
    expect(script.text).toContain("window.close()");
  });

  it("keeps the consent in an HttpOnly, SameSite=lax cookie on /auth only, and ends it at the callback", async () => {
    const address = await consentAddress(world, provider, "acme");
    const start = await world.h.request.get(pathOf(address.body.url));
    const cookie = start.headers["set-cookie"]![0]!;
    expect(cookie).toMatch(/^email_integration_consent=/);
    expect(cookie).toContain("Path=/auth");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");

    const callback = await world.h.request.get(await visitProvider(start.headers.location!));
    expect(callback.status).toBe(200);
    expect(callback.headers["set-cookie"]![0]).toMatch(
      /^email_integration_consent=; Path=\/auth; Expires=Thu, 01 Jan 1970/,
    );
  });

  it("answers an address that works once only, and not for the other provider", async () => {
    const address = await consentAddress(world, provider, "acme");
    expect(address.status).toBe(200);
    expect(address.headers["cache-control"]).toBe("no-store");
    const url = new URL(address.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(`http://127.0.0.1:3000/auth/${provider}/start`);
    expect(url.searchParams.get("ticket")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(address.body.url).not.toContain("eyJ");

    expect((await world.h.request.get(url.pathname + url.search)).status).toBe(302);
    const again = readPage(await world.h.request.get(url.pathname + url.search));
    expect(again.page.status).toBe(400);
    expect(again.report.error?.code).toBe("invalid_ticket");

    const other: Provider = provider === "google" ? "microsoft" : "google";
    const fresh = new URL((await consentAddress(world, provider, "acme")).body.url);
    const crossed = readPage(await world.h.request.get(`/auth/${other}/start${fresh.search}`));
    expect(crossed.page.status).toBe(400);
    expect(crossed.report).toMatchObject({ provider: other, ok: false });
    expect(crossed.report.error?.code).toBe("invalid_ticket");
  });

  it("refuses an address that has expired", async () => {
    const address = await consentAddress(world, provider, "acme");
    await runSql(world.h.databaseFile, "UPDATE oauth_tickets SET expiresAt = ?", [
      "2020-01-01 00:00:00.000 +00:00",
    ]);

    const outcome = readPage(await world.h.request.get(pathOf(address.body.url)));

    expect(outcome.page.status).toBe(400);
    expect(outcome.report.error?.code).toBe("invalid_ticket");
    expect(outcome.targets).toEqual([HOST_ORIGIN]);
  });

  it("reports denied consent to the opener and leaves the mailbox as it was", async () => {
    world.fakes(provider).idp.denyNextConsent();

    const outcome = await runConsent(world, provider, "acme");

    expect(outcome.page.status).toBe(403);
    expect(outcome.report).toMatchObject({ type: "email-integration:oauth", provider, ok: false });
    expect(outcome.report.error?.code).toBe("consent_denied");
    expect(outcome.report.error?.message).toMatch(/permission to send email was not given/);
    expect(outcome.page.text).toContain("permission to send email was not given");
    expect(outcome.targets).toEqual([HOST_ORIGIN]);
    await expectUnchanged("acme");
  });

  it("refuses a signed-in account that is not the mailbox address", async () => {
    world.fakes(provider).idp.account = "someone.else@other.example";

    const outcome = await runConsent(world, provider, "acme");

    expect(outcome.page.status).toBe(403);
    expect(outcome.report.error).toEqual({
      code: "account_mismatch",
      message: `you signed in as someone.else@other.example, not as the mailbox address ${ADDRESS}; sign in with ${ADDRESS}`,
    });
    await expectUnchanged("acme");
  });

  it("refuses a consent that did not grant sending", async () => {
    world.fakes(provider).idp.grantedScope = "openid email profile";

    const outcome = await runConsent(world, provider, "acme");

    expect(outcome.page.status).toBe(422);
    expect(outcome.report.error?.code).toBe("missing_scope");
    await expectUnchanged("acme");
  });

  it("refuses a consent that came without a refresh token", async () => {
    world.fakes(provider).idp.withholdRefreshToken = true;

    const outcome = await runConsent(world, provider, "acme");

    expect(outcome.page.status).toBe(422);
    expect(outcome.report.error?.code).toBe("missing_refresh_token");
    await expectUnchanged("acme");
  });

  it("refuses a replayed callback, after its consent and inside a new one", async () => {
    const first = await runConsent(world, provider, "acme");
    expect(first.report.ok).toBe(true);
    const before = await getMailbox(world, "acme");

    const replayed = readPage(await world.h.request.get(first.callbackPath!));
    expect(replayed.page.status).toBe(400);
    expect(replayed.report.error?.code).toBe("invalid_state");

    const address = await consentAddress(world, provider, "acme");
    expect((await world.h.request.get(pathOf(address.body.url))).status).toBe(302);
    const inside = readPage(await world.h.request.get(first.callbackPath!));
    expect(inside.page.status).toBe(400);
    expect(inside.report.error?.code).toBe("invalid_state");

    expect(await getMailbox(world, "acme")).toEqual(before);
  });

  it("records no opener that is not an allowed origin, and then reports to the allowed ones", async () => {
    const token = await world.h.token("acme");
    const address = await world.h.request
      .post(`/api/mailbox/oauth/${provider}`)
      .set("Authorization", `Bearer ${token}`)
      .set("Origin", "https://evil.example");
    const start = await world.h.request.get(pathOf(address.body.url));
    const page = readPage(await world.h.request.get(await visitProvider(start.headers.location!)));

    expect(page.report.ok).toBe(true);
    expect(page.targets).toEqual(["http://host.example"]);
  });

  async function expectUnchanged(tenant: string) {
    const { mailbox } = await getMailbox(world, tenant);
    expect(mailbox).toMatchObject({ status: "created", method: null, account: null });
    const events = await getEvents(world, tenant);
    expect(events.map((event) => event.type)).toEqual(["mailbox.created"]);
  }
});

describe("what the providers are asked for", () => {
  beforeEach(async () => createMailbox(world, "acme", ADDRESS));

  it("asks Google for gmail.send offline, on the consent screen, with state and PKCE", async () => {
    const address = await consentAddress(world, "google", "acme");
    const start = await world.h.request.get(pathOf(address.body.url));

    const authorize = new URL(start.headers.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${world.google.url}/authorize`);
    expect(authorize.searchParams.get("scope")!.split(" ")).toEqual([
      "openid",
      "email",
      "https://www.googleapis.com/auth/gmail.send",
    ]);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "google-client-id",
      redirect_uri: "http://127.0.0.1:3000/auth/google/callback",
      access_type: "offline",
      prompt: "consent",
      login_hint: ADDRESS,
      code_challenge_method: "S256",
    });
    expect(authorize.searchParams.get("state")).toMatch(/^.{16,}$/);
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("asks Microsoft for Mail.Send and offline_access, with state and nonce, answered in the query", async () => {
    const address = await consentAddress(world, "microsoft", "acme");
    const start = await world.h.request.get(pathOf(address.body.url));

    const authorize = new URL(start.headers.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${world.microsoft.url}/authorize`);
    expect(authorize.searchParams.get("scope")!.split(" ")).toEqual(
      expect.arrayContaining(["openid", "offline_access", "https://graph.microsoft.com/Mail.Send"]),
    );
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      response_mode: "query",
      client_id: "microsoft-client-id",
      redirect_uri: "http://127.0.0.1:3000/auth/microsoft/callback",
      login_hint: ADDRESS,
    });
    expect(authorize.searchParams.get("state")).toMatch(/^.{16,}$/);
    expect(authorize.searchParams.get("nonce")).toMatch(/^.{16,}$/);
  });
});

describe("the consent cookie behind HTTPS", () => {
  it("is Secure when PUBLIC_URL is https", async () => {
    await world.close();
    world = await startWorld({ publicUrl: "https://mail.example.com" });
    world.google.account = ADDRESS;
    await createMailbox(world, "acme", ADDRESS);
    const address = await consentAddress(world, "google", "acme");
    expect(address.body.url).toMatch(/^https:\/\/mail\.example\.com\/auth\/google\/start\?/);

    const start = await world.h.request
      .get(pathOf(address.body.url))
      .set("X-Forwarded-Proto", "https");

    expect(start.status).toBe(302);
    expect(start.headers["set-cookie"]![0]).toContain("Secure");
  });
});

function runSql(file: string, sql: string, params: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (openError) => {
      if (openError) return reject(openError);
      db.run(sql, params, (error) => {
        db.close();
        if (error) reject(error);
        else resolve();
      });
    });
  });
}
