import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HELD_PER_TENANT } from "../../server/delivery/send.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { activeSmtpMailbox } from "../support/steps.js";

const BURST = HELD_PER_TENANT + 130;

let h: Harness;
let tenantServer: SmtpSink;
let defaultServer: SmtpSink;

beforeAll(async () => {
  // A slow server, so that the burst is still being delivered while it is answered.
  tenantServer = await startSmtpSink({ delayMs: 5 });
  defaultServer = await startSmtpSink({ tls: "plain" });
  h = await startHarness({
    defaultSmtpUrl: `smtp://127.0.0.1:${defaultServer.port}`,
    worker: { enabled: true, pollMs: 50, batchSize: 20, leaseMs: 30_000 },
  });
  await activeSmtpMailbox(h, "acme", "people@acme.example", {
    username: "people@acme.example",
    password: "any",
    port: tenantServer.port,
  });
});
afterAll(async () => {
  await h.close();
  await tenantServer.close();
  await defaultServer.close();
});

const notice = (index: number) => ({
  to: `employee${index}@acme.example`,
  subject: `Payslip ${index}`,
  text: `Your payslip ${index} is ready.`,
});

describe("a burst of one tenant's mail", () => {
  it("is carried in memory only up to the sends held per tenant; the rest answer queued, as the mailbox will send them", async () => {
    const before = tenantServer.received.length;

    const results = await Promise.all(
      Array.from({ length: BURST }, (_, index) => h.integration.send("acme", notice(index))),
    );

    const sent = results.filter((result) => result.status === "sent");
    const queued = results.filter((result) => result.status === "queued");
    expect(sent).toHaveLength(HELD_PER_TENANT);
    expect(queued).toHaveLength(BURST - HELD_PER_TENANT);
    expect(results.every((result) => result.via === "mailbox")).toBe(true);

    await tenantServer.waitFor(before + BURST, 20_000);
    const arrived = tenantServer.messageIds().slice(before);
    expect(arrived).toHaveLength(BURST);
    expect(new Set(arrived)).toEqual(new Set(results.map((result) => result.messageId)));
  });

  it("leaves every message of it recorded as sent, through the mailbox", async () => {
    await h.integration.flush();

    const rows = await h.query<{ status: string; via: string; n: number }>(
      `SELECT "status", "via", COUNT(*) AS "n" FROM "outbox_messages" GROUP BY "status", "via"`,
    );

    expect(rows.map((row) => ({ ...row, n: Number(row.n) }))).toEqual([
      { status: "sent", via: "mailbox", n: BURST },
    ]);
  });

  it("does not hold back another tenant's mail, which is sent at once", async () => {
    const burst = Array.from({ length: BURST }, (_, index) =>
      h.integration.send("acme", notice(BURST + index)),
    );

    const other = await h.integration.send("globex", notice(0));

    expect(other).toMatchObject({ status: "sent", via: "default" });
    await Promise.all(burst);
    await h.integration.flush();
  });
});
