import { afterAll, beforeAll, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { drainOutbox, tally } from "../support/outbox.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { activeSmtpMailbox } from "../support/steps.js";

const LEASE_MS = 1_000;
const MESSAGES = 250;
let h: Harness;
let sink: SmtpSink;

beforeAll(async () => {
  // 20 ms a message over three pooled connections: 250 sends at once take about two seconds, so
  // the last of them wait their turn well past a lease of one second, while each attempt stays
  // well within the half of it that a renewed lease has left.
  sink = await startSmtpSink({ logins: { "hr@lease.example": "pw" }, delayMs: 20 });
  h = await startHarness({
    worker: { enabled: false, pollMs: 50, batchSize: 50, leaseMs: LEASE_MS },
  });
  await activeSmtpMailbox(h, "lease", "hr@lease.example", {
    username: "hr@lease.example",
    password: "pw",
    port: sink.port,
  });
});
afterAll(async () => {
  await h.close();
  await sink.close();
});

it("sends a message that waited past its lease once, whether its send or the worker delivers it", async () => {
  const before = sink.messageIds().length;
  let sending = true;
  // The worker claims what it finds with a lapsed lease while the sends still wait their turn.
  const worker = (async () => {
    while (sending) {
      await h.integration.flush();
      await new Promise((wait) => setTimeout(wait, 50));
    }
  })();

  const results = await Promise.all(
    Array.from({ length: MESSAGES }, (_, index) =>
      h.integration.send("lease", { to: "e@lease.example", subject: `n${index}`, text: "hi" }),
    ),
  );
  sending = false;
  await worker;
  await drainOutbox(h.integration, h.databaseFile);

  const sentIds = results.map((result) => result.messageId!);
  expect(tally(sentIds, sink.messageIds().slice(before))).toEqual({
    sent: MESSAGES,
    arrived: MESSAGES,
    lost: 0,
    duplicates: 0,
  });
  expect(results.filter((result) => result.status === "queued").length).toBeGreaterThan(0);
});
