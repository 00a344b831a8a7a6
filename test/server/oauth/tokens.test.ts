import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmailIntegration } from "../../../server/integration.js";
import { queryFile } from "../../support/database.js";
import { gmailError } from "../../support/fake-gmail.js";
import { graphError } from "../../support/fake-graph.js";
import { EMBED_SECRET, SECRET_KEY } from "../../support/harness.js";
import {
  HOST_ORIGIN,
  activeMailbox,
  createMailbox,
  getEvents,
  getMailbox,
  runConsent,
  sendTestMail,
  startWorld,
  type World,
} from "./world.js";

const ADDRESS = "hr@acme.example";
/** Shorter than the two minutes before expiry at which the service refreshes a token. */
const EXPIRING_SECONDS = 60;
const message = (subject: string) => ({ to: "employee@acme.example", subject, text: "Hello." });
let world: World;

beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => world.close());

describe.each(["google", "microsoft"] as const)("%s token care", (provider) => {
  it("refreshes an access token that is about to expire before sending, and not after", async () => {
    const { idp, api } = world.fakes(provider);
    idp.account = ADDRESS;
    idp.expiresIn = EXPIRING_SECONDS;
    await createMailbox(world, "acme", ADDRESS);
    await runConsent(world, provider, "acme");
    idp.expiresIn = null;

    expect((await sendTestMail(world, "acme")).status).toBe(200);
    expect(idp.refreshRequests()).toEqual([
      expect.objectContaining({ refreshToken: idp.issuedRefreshTokens[0] }),
    ]);
    await world.h.integration.send("acme", message("After the refresh"));

    expect(idp.refreshRequests()).toHaveLength(1);
    expect(idp.issuedAccessTokens).toHaveLength(2);
    expect(api.presentedTokens).toEqual([idp.issuedAccessTokens[1], idp.issuedAccessTokens[1]]);
  });

  it("refreshes a mailbox once for many messages sent at once", async () => {
    const { idp, api } = world.fakes(provider);
    idp.expiresIn = EXPIRING_SECONDS;
    await activeMailbox(world, provider, "acme", ADDRESS);
    idp.expiresIn = null;
    const refreshesBefore = idp.refreshRequests().length;

    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => world.h.integration.send("acme", message(`Batch ${n}`))),
    );

    expect(results.map((result) => [result.status, result.via])).toEqual(
      Array(5).fill(["sent", "mailbox"]),
    );
    expect(idp.refreshRequests()).toHaveLength(refreshesBefore + 1);
    expect(new Set(api.presentedTokens.slice(-5))).toEqual(
      new Set([idp.issuedAccessTokens.at(-1)]),
    );
  });

  it("refreshes a mailbox once between two processes sharing the database", async () => {
    const { idp, api } = world.fakes(provider);
    idp.expiresIn = EXPIRING_SECONDS;
    await activeMailbox(world, provider, "acme", ADDRESS);
    idp.expiresIn = null;
    const refreshesBefore = idp.refreshRequests().length;
    const other = await createEmailIntegration({
      environment: { NODE_ENV: "test" },
      env: "test",
      dataDir: world.h.dataDir,
      databaseUrl: `sqlite:${world.h.databaseFile}`,
      embedSecret: EMBED_SECRET,
      secretKey: SECRET_KEY,
      sessionSecret: "test-session-secret",
      publicUrl: "http://127.0.0.1:3000",
      allowedOrigins: [HOST_ORIGIN],
      worker: { enabled: false, pollMs: 50, batchSize: 20, leaseMs: 30_000 },
      demo: { enabled: false, smtpPort: 0 },
      ...world.providers,
    });

    try {
      const results = await Promise.all([
        world.h.integration.send("acme", message("From the server")),
        other.send("acme", message("From the host")),
        world.h.integration.send("acme", message("From the server again")),
        other.send("acme", message("From the host again")),
      ]);
      expect(results.map((result) => result.status)).toEqual(["sent", "sent", "sent", "sent"]);
    } finally {
      await other.close();
    }

    expect(idp.refreshRequests()).toHaveLength(refreshesBefore + 1);
    expect(api.received).toHaveLength(5);
  });

  it("gives up on a consent the provider no longer accepts: the mailbox is deactivated", async () => {
    const { idp } = world.fakes(provider);
    idp.expiresIn = EXPIRING_SECONDS;
    await activeMailbox(world, provider, "acme", ADDRESS);
    idp.revokeAllGrants();

    const result = await world.h.integration.send("acme", message("After the revocation"));

    expect(result).toMatchObject({ status: "sent", via: "default" });
    const { mailbox } = await getMailbox(world, "acme");
    expect(mailbox).toMatchObject({
      status: "inactive",
      lastError: { code: "oauth_consent_revoked" },
    });
    expect((mailbox!.lastError as { message: string }).message).toMatch(/Authenticate again\.$/);
    expect((await getEvents(world, "acme")).map((event) => event.type)).toContain(
      "mailbox.deactivated",
    );
  });

  it("answers a failed test mail with the classified code when the consent is gone", async () => {
    const { idp } = world.fakes(provider);
    idp.expiresIn = EXPIRING_SECONDS;
    await activeMailbox(world, provider, "acme", ADDRESS);
    idp.revokeAllGrants();

    const test = await sendTestMail(world, "acme");

    expect(test.status).toBe(422);
    expect(test.body.ok).toBe(false);
    expect(test.body.error.code).toBe("oauth_consent_revoked");
    expect(test.body.error.message).toMatch(/revoked or has expired\)\. Authenticate again\.$/);
    expect(test.body.mailbox).toMatchObject({ status: "active" });
  });

  it("refreshes a token the mail API refuses, and sends with the new one", async () => {
    const { idp, api } = world.fakes(provider);
    await activeMailbox(world, provider, "acme", ADDRESS);
    api.refusedTokens.add(idp.issuedAccessTokens[0]!);

    const result = await world.h.integration.send("acme", message("After a 401"));

    expect(result).toMatchObject({ status: "sent", via: "mailbox" });
    expect(idp.refreshRequests()).toHaveLength(1);
    expect(api.presentedTokens.slice(-2)).toEqual([
      idp.issuedAccessTokens[0],
      idp.issuedAccessTokens[1],
    ]);
  });

  it("counts a 401 after a fresh token as a broken mailbox", async () => {
    const { api } = world.fakes(provider);
    await activeMailbox(world, provider, "acme", ADDRESS);
    api.refuseEveryToken = true;

    const result = await world.h.integration.send("acme", message("Refused twice"));

    expect(result).toMatchObject({ status: "sent", via: "default" });
    const { mailbox } = await getMailbox(world, "acme");
    expect(mailbox).toMatchObject({
      status: "inactive",
      lastError: { code: "oauth_access_denied" },
    });
  });

  it("waits as long as a 429's Retry-After asks, keeping the mailbox active", async () => {
    const { api } = world.fakes(provider);
    await activeMailbox(world, provider, "acme", ADDRESS);
    api.failNext(throttled(provider, "120"));
    const before = Date.now();

    const result = await world.h.integration.send("acme", message("Throttled"));

    expect(result).toMatchObject({ status: "queued", via: "mailbox" });
    const [row] = await queryFile<{ nextAttemptAt: string; lastErrorCode: string }>(
      world.h.databaseFile,
      "SELECT nextAttemptAt, lastErrorCode FROM outbox_messages WHERE id = ?",
      [result.id],
    );
    expect(row!.lastErrorCode).toBe("provider_unavailable");
    expect(parseSqliteDate(row!.nextAttemptAt) - before).toBeGreaterThanOrEqual(120_000);
    expect((await getMailbox(world, "acme")).mailbox).toMatchObject({ status: "active" });
  });

  it("answers a throttled test mail with 422 and leaves the mailbox as it was", async () => {
    const { api } = world.fakes(provider);
    await activeMailbox(world, provider, "acme", ADDRESS);
    api.failNext(throttled(provider, "30"));

    const test = await sendTestMail(world, "acme");

    expect(test.status).toBe(422);
    expect(test.body.error).toEqual({
      code: "provider_unavailable",
      message: `${provider === "google" ? "Google" : "Microsoft"} is busy or unavailable; the mail will be retried.`,
    });
    expect(test.body.mailbox).toMatchObject({ status: "active" });
  });

  it("treats a token endpoint that is down as a passing trouble", async () => {
    const { idp } = world.fakes(provider);
    idp.expiresIn = EXPIRING_SECONDS;
    await activeMailbox(world, provider, "acme", ADDRESS);
    idp.failNextTokenRequest({ status: 503, body: { error: "temporarily_unavailable" } });

    const result = await world.h.integration.send("acme", message("Token endpoint down"));

    expect(result).toMatchObject({ status: "queued", via: "mailbox" });
    expect((await getMailbox(world, "acme")).mailbox).toMatchObject({ status: "active" });
  });
});

describe("refresh tokens", () => {
  it("keeps each refresh token Microsoft rotates, and refreshes with the newest", async () => {
    const { microsoft, graph } = world;
    microsoft.expiresIn = EXPIRING_SECONDS;
    await activeMailbox(world, "microsoft", "acme", ADDRESS);

    await world.h.integration.send("acme", message("Second refresh"));
    await world.h.integration.send("acme", message("Third refresh"));

    expect(microsoft.refreshRequests().map((request) => request.refreshToken)).toEqual(
      microsoft.issuedRefreshTokens.slice(0, 3),
    );
    expect(new Set(microsoft.issuedRefreshTokens).size).toBe(4);
    expect(graph.received).toHaveLength(3);
  });

  it("keeps Google's refresh token when a refresh answers none", async () => {
    const { google, gmail } = world;
    google.expiresIn = EXPIRING_SECONDS;
    await activeMailbox(world, "google", "acme", ADDRESS);

    await world.h.integration.send("acme", message("Second refresh"));

    expect(google.issuedRefreshTokens).toHaveLength(1);
    expect(google.refreshRequests().map((request) => request.refreshToken)).toEqual([
      google.issuedRefreshTokens[0],
      google.issuedRefreshTokens[0],
    ]);
    expect(gmail.received).toHaveLength(2);
  });
});

function throttled(provider: "google" | "microsoft", retryAfter: string) {
  return {
    status: 429,
    headers: { "Retry-After": retryAfter },
    body:
      provider === "google"
        ? gmailError(429, "rateLimitExceeded", "Rate Limit Exceeded")
        : graphError("ApplicationThrottled", "Application is over its MailboxConcurrency limit."),
  };
}

/** Sequelize writes SQLite dates as `2026-03-01 12:00:00.000 +00:00`. */
function parseSqliteDate(value: string): number {
  return Date.parse(value.replace(" ", "T").replace(" ", ""));
}
