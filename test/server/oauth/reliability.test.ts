import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { gmailError } from "../../support/fake-gmail.js";
import { graphError } from "../../support/fake-graph.js";
import type { ApiFailure } from "../../support/fake-mail-api.js";
import { drainOutbox, tally } from "../../support/outbox.js";
import { startSmtpSink, type SmtpSink } from "../../support/smtp-sink.js";
import { activeMailbox, getMailbox, startWorld, type Provider, type World } from "./world.js";

const ADDRESS = "hr@acme.example";
const figures: Record<string, unknown>[] = [];
let world: World;
let defaultSink: SmtpSink;

beforeEach(async () => {
  defaultSink = await startSmtpSink({ tls: "plain" });
  world = await startWorld({ defaultSmtpUrl: `smtp://127.0.0.1:${defaultSink.port}` });
});
afterEach(async () => {
  await world.close();
  await defaultSink.close();
});
afterAll(() => {
  mkdirSync("test-artifacts", { recursive: true });
  writeFileSync(
    "test-artifacts/reliability-providers.json",
    JSON.stringify(figures, null, 2) + "\n",
  );
  console.table(figures);
});

const mail = (i: number) => ({
  to: "employee@acme.example",
  subject: `api ${i}`,
  text: `message ${i}`,
});

const unavailable = (provider: Provider): ApiFailure =>
  provider === "google"
    ? { status: 503, body: gmailError(503, "backendError", "Backend Error") }
    : { status: 503, body: graphError("ServiceNotAvailable", "Service unavailable") };

const throttled = (provider: Provider): ApiFailure => ({
  status: 429,
  headers: { "Retry-After": "1" },
  body:
    provider === "google"
      ? gmailError(429, "rateLimitExceeded", "Rate limit exceeded")
      : graphError("ApplicationThrottled", "Too many requests"),
});

describe.each(["google", "microsoft"] as const)("%s mail API faults", (provider) => {
  it("retries 503 and 429 answers and delivers every message through the mailbox", async () => {
    const { api } = world.fakes(provider);
    await activeMailbox(world, provider, "acme", ADDRESS);
    api.failNext(
      unavailable(provider),
      unavailable(provider),
      throttled(provider),
      unavailable(provider),
    );

    const results = [];
    for (let i = 0; i < 10; i += 1) results.push(await world.h.integration.send("acme", mail(i)));
    await drainOutbox(world.h.integration, world.h.databaseFile);

    const delivered = api.received.map((m) => m.parsed.messageId ?? "");
    const count = tally(
      results.map((r) => r.messageId!),
      delivered,
      defaultSink.messageIds(),
    );
    figures.push({
      provider,
      fault: "503, 503, 429 (Retry-After 1 s), 503",
      ...count,
      queuedAtFirst: results.filter((r) => r.status === "queued").length,
    });
    expect(count).toMatchObject({ sent: 10, arrived: 10, lost: 0, duplicates: 0 });
    expect(defaultSink.received).toHaveLength(0);
    expect((await getMailbox(world, "acme")).mailbox).toMatchObject({ status: "active" });
  });

  it("falls back to the default mailbox when the API refuses every token, with one notice", async () => {
    const { api } = world.fakes(provider);
    await activeMailbox(world, provider, "acme", ADDRESS);
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await world.h.integration.send("acme", mail(i)));
    api.refuseEveryToken = true;

    const later = await Promise.all(
      Array.from({ length: 8 }, (_, i) => world.h.integration.send("acme", mail(4 + i))),
    );
    results.push(...later);
    await drainOutbox(world.h.integration, world.h.databaseFile);

    const delivered = api.received.map((m) => m.parsed.messageId ?? "");
    const count = tally(
      results.map((r) => r.messageId!),
      delivered,
      defaultSink.messageIds(),
    );
    const notices = defaultSink.received.filter((m) =>
      m.parsed.subject?.startsWith("Action needed"),
    );
    figures.push({
      provider,
      fault: "401 for every token after 4 messages, 8 sent at once",
      ...count,
      notices: notices.length,
    });
    expect(count).toMatchObject({ sent: 12, arrived: 12, lost: 0, duplicates: 0 });
    expect(notices).toHaveLength(1);
    expect((await getMailbox(world, "acme")).mailbox).toMatchObject({
      status: "inactive",
      lastError: { code: "oauth_access_denied" },
    });
  });
});
