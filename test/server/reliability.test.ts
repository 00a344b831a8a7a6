import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { queryFile } from "../support/database.js";
import { SECRET_KEY, startHarness, type Harness } from "../support/harness.js";
import { drainOutbox, tally } from "../support/outbox.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { activeSmtpMailbox, adminOf } from "../support/steps.js";

/** Figures of each fault, written for the README's Reliability section. */
const figures: Record<string, unknown>[] = [];
afterAll(() => {
  mkdirSync("test-artifacts", { recursive: true });
  writeFileSync("test-artifacts/reliability.json", JSON.stringify(figures, null, 2) + "\n");
  console.table(figures);
});

const activeMailbox = (h: Harness, tenant: string, port: number) =>
  activeSmtpMailbox(h, tenant, "hr@acme.example", { username: "hr@acme.example", port });

const mail = (i: number) => ({
  to: "employee@acme.example",
  subject: `batch ${i}`,
  text: `message ${i}`,
});

describe("mail is never lost", () => {
  it("keeps messages while the SMTP server is down and delivers them through the mailbox when it is back", async () => {
    const tenantSink = await startSmtpSink();
    const defaultSink = await startSmtpSink({ tls: "plain" });
    const h = await startHarness({ defaultSmtpUrl: `smtp://127.0.0.1:${defaultSink.port}` });
    const token = await activeMailbox(h, "outage", tenantSink.port);
    const sent: string[] = [];
    const statuses: string[] = [];

    let back: SmtpSink | null = null;
    for (let i = 0; i < 20; i += 1) {
      if (i === 8) await tenantSink.close();
      const result = await h.integration.send("outage", mail(i));
      sent.push(result.messageId!);
      statuses.push(result.status);
    }
    back = await startSmtpSink({ port: tenantSink.port });
    await drainOutbox(h.integration, h.databaseFile);

    const count = tally(sent, tenantSink.messageIds(), back.messageIds(), defaultSink.messageIds());
    figures.push({
      fault: "SMTP server stopped mid-batch, restarted",
      ...count,
      queuedWhileDown: statuses.filter((s) => s === "queued").length,
    });
    expect(count).toMatchObject({ sent: 20, arrived: 20, lost: 0 });
    expect(statuses.slice(8).every((status) => status === "queued")).toBe(true);
    expect(back.received.length).toBe(12);
    const { body } = await adminOf(h, token).get();
    expect(body.mailbox.status).toBe("active");
    await Promise.all([h.close(), back.close(), defaultSink.close()]);
  });

  it("falls back to the default mailbox when the login starts being refused, with one deactivation and one notice", async () => {
    const tenantSink = await startSmtpSink({ logins: { "hr@acme.example": "pw" } });
    const defaultSink = await startSmtpSink({ tls: "plain" });
    const h = await startHarness({ defaultSmtpUrl: `smtp://127.0.0.1:${defaultSink.port}` });
    const token = await activeMailbox(h, "refused", tenantSink.port);
    const sent: string[] = [];
    for (let i = 0; i < 5; i += 1)
      sent.push((await h.integration.send("refused", mail(i))).messageId!);
    await tenantSink.close();
    const changed = await startSmtpSink({
      port: tenantSink.port,
      logins: { "hr@acme.example": "changed" },
    });

    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) => h.integration.send("refused", mail(5 + i))),
    );
    sent.push(...results.map((result) => result.messageId!));
    await drainOutbox(h.integration, h.databaseFile);

    const notices = defaultSink.received.filter((m) =>
      m.parsed.subject?.startsWith("Action needed"),
    );
    const count = tally(
      sent,
      tenantSink.messageIds(),
      changed.messageIds(),
      defaultSink.messageIds(),
    );
    figures.push({
      fault: "login refused after 5 messages, 15 sent at once",
      ...count,
      notices: notices.length,
    });
    expect(count).toMatchObject({ sent: 20, arrived: 20, lost: 0, duplicates: 0 });
    expect(notices).toHaveLength(1);
    const events = await adminOf(h, token).events();
    expect(
      events.body.events.filter((e: { type: string }) => e.type === "mailbox.deactivated"),
    ).toHaveLength(1);
    expect(tenantSink.received.length).toBe(6);
    await Promise.all([h.close(), changed.close(), defaultSink.close()]);
  });

  it("retries a server that answers 421 and delivers through the mailbox once it recovers", async () => {
    let busyAnswers = 6;
    const tenantSink = await startSmtpSink({
      rejectSender: () =>
        busyAnswers-- > 0 ? { code: 421, message: "4.3.2 Service busy, try later" } : null,
    });
    const h = await startHarness();
    busyAnswers = 0;
    await activeMailbox(h, "busy", tenantSink.port);
    busyAnswers = 6;

    const results = [];
    for (let i = 0; i < 10; i += 1) results.push(await h.integration.send("busy", mail(i)));
    await drainOutbox(h.integration, h.databaseFile);

    const count = tally(
      results.map((r) => r.messageId!),
      tenantSink.messageIds(),
    );
    figures.push({
      fault: "421 for the first 6 attempts",
      ...count,
      queuedAtFirst: results.filter((r) => r.status === "queued").length,
    });
    expect(count).toMatchObject({ sent: 10, arrived: 10, lost: 0 });
    const rows = await queryFile<{ status: string; via: string }>(
      h.databaseFile,
      "SELECT status, via FROM outbox_messages WHERE tenant = 'busy'",
    );
    expect(rows.every((row) => row.status === "sent" && row.via === "mailbox")).toBe(true);
    await Promise.all([h.close(), tenantSink.close()]);
  });

  it("finishes a batch after the sending process is killed with SIGKILL mid-batch", async () => {
    const slowSink = await startSmtpSink({ delayMs: 40 });
    const h = await startHarness({
      worker: { enabled: false, pollMs: 50, batchSize: 20, leaseMs: 1_000 },
    });
    await activeMailbox(h, "killed", slowSink.port);
    const total = 60;
    const script = fileURLToPath(new URL("../support/host-process.ts", import.meta.url));

    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        script,
        h.databaseFile,
        h.dataDir,
        "killed",
        String(total),
        SECRET_KEY,
        "parallel",
      ],
      { stdio: "ignore" },
    );
    await waitUntil(() => slowSink.received.length >= 15, 60_000);
    child.kill("SIGKILL");
    await new Promise((done) => child.once("exit", done));
    const [{ stored }] = (await queryFile<{ stored: number }>(
      h.databaseFile,
      "SELECT COUNT(*) AS stored FROM outbox_messages WHERE tenant = 'killed'",
    )) as [{ stored: number }];
    const deliveredBeforeKill = slowSink.received.length - 1; // less the test mail

    // The claims of the dead process run out after the lease; then this process takes them.
    await new Promise((wait) => setTimeout(wait, 1_100));
    await drainOutbox(h.integration, h.databaseFile, 60_000);

    const ids = await queryFile<{ messageId: string; status: string }>(
      h.databaseFile,
      "SELECT messageId, status FROM outbox_messages WHERE tenant = 'killed'",
    );
    const count = tally(
      ids.map((row) => row.messageId),
      slowSink.messageIds(),
    );
    figures.push({
      fault: "sender killed (SIGKILL) mid-batch, restarted",
      ...count,
      deliveredBeforeKill,
    });
    expect(stored).toBe(total);
    expect(count).toMatchObject({ sent: total, arrived: total, lost: 0 });
    expect(ids.every((row) => row.status === "sent")).toBe(true);
    await Promise.all([h.close(), slowSink.close()]);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((wait) => setTimeout(wait, 20));
  }
}
