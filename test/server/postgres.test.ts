import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../server/config.js";
import { createEmailIntegration } from "../../server/integration.js";
import { createPostgresDatabase, dropPostgresDatabase, queryFile } from "../support/database.js";
import {
  EMBED_SECRET,
  POSTGRES_SERVER_URL,
  SECRET_KEY,
  startHarness,
  type Harness,
} from "../support/harness.js";
import { tally } from "../support/outbox.js";
import { deliverWhileQueued } from "../support/shared-outbox.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { activeSmtpMailbox, adminOf } from "../support/steps.js";

const server = POSTGRES_SERVER_URL;
const underCi = process.env.CI === "true";
if (!server && !underCi) {
  console.log(
    "postgres.test.ts skipped: set TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/postgres" +
      " (a user that may create databases) to run it",
  );
}

it.runIf(!server && underCi)("has a PostgreSQL server under CI (TEST_DATABASE_URL)", () => {
  expect.fail("CI must start PostgreSQL and export TEST_DATABASE_URL; see .ci/run");
});

const mail = (i: number) => ({ to: "employee@acme.example", subject: `shared ${i}`, text: "x" });

describe.skipIf(!server)("on PostgreSQL", () => {
  let sink: SmtpSink;
  let h: Harness;
  beforeAll(async () => {
    sink = await startSmtpSink({ logins: { "hr@acme.example": "pw" } });
    h = await startHarness({ database: "postgres" });
  });
  afterAll(async () => {
    await h?.close();
    await sink?.close();
  });

  describe("opening the database", () => {
    it("migrates an empty database: dates with time zone, flags as booleans, every index", async () => {
      const columns = await h.query<{ name: string; type: string }>(
        `SELECT table_name || '.' || column_name AS name, data_type AS type
           FROM information_schema.columns WHERE table_schema = 'public'`,
      );
      const typeOf = Object.fromEntries(columns.map((column) => [column.name, column.type]));
      const indexes = await h.query<{ name: string }>(
        "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'",
      );
      const migrations = await h.query<{ name: string }>(
        "SELECT name FROM schema_migrations ORDER BY name",
      );

      expect(typeOf).toMatchObject({
        "mailboxes.smtpSecure": "boolean",
        "mailboxes.connectionVersion": "integer",
        "mailboxes.activatedAt": "timestamp with time zone",
        "outbox_messages.nextAttemptAt": "timestamp with time zone",
        "outbox_messages.lockedUntil": "timestamp with time zone",
        "outbox_messages.payload": "text",
        "mailbox_events.at": "timestamp with time zone",
        "oauth_tickets.expiresAt": "timestamp with time zone",
        "oauth_sessions.expires": "timestamp with time zone",
        "oauth_sessions.data": "text",
      });
      expect(indexes.map((index) => index.name)).toEqual(
        expect.arrayContaining([
          "mailboxes_tenant_key",
          "mailbox_events_tenant_at",
          "outbox_messages_status_next_attempt_at",
          "outbox_messages_tenant_created_at",
          "oauth_tickets_expires_at",
          "oauth_sessions_expires",
        ]),
      );
      expect(migrations.map((row) => row.name)).toEqual(["001-initial", "002-oauth-consent"]);
    });

    it("starts instances together on a fresh database, which ends up migrated once", async () => {
      const url = await createPostgresDatabase(server!);
      try {
        const instances = await Promise.all(
          [1, 2, 3].map(() => createEmailIntegration(instanceOptions(url, h.dataDir))),
        );
        await Promise.all(instances.map((instance) => instance.close()));

        const migrations = await queryFile<{ name: string }>(
          url,
          "SELECT name FROM schema_migrations ORDER BY name",
        );
        expect(migrations.map((row) => row.name)).toEqual(["001-initial", "002-oauth-consent"]);
      } finally {
        await dropPostgresDatabase(server!, url);
      }
    });

    it("stops the start with the server's reason, naming the database but not the password", async () => {
      const unknown = new URL(server!);
      unknown.username = "hr";
      unknown.password = "not-this-secret";
      unknown.pathname = "/no_such_database";
      const refused = new URL(unknown);
      refused.hostname = "127.0.0.1";
      refused.port = String(await unusedPort());

      const failures = await Promise.all(
        [unknown, refused].map((url) =>
          createEmailIntegration(instanceOptions(url.toString(), h.dataDir)).then(
            () => new Error("opened"),
            (error: Error) => error,
          ),
        ),
      );

      for (const failure of failures) {
        expect(failure).toBeInstanceOf(ConfigError);
        expect(failure.message).toMatch(/^cannot open the database postgres:\/\/hr:\*\*\*@/);
        expect(failure.message).not.toContain("not-this-secret");
      }
      expect(failures[0]!.message).toContain("/no_such_database: ");
      expect(failures[1]!.message).toContain("ECONNREFUSED");
    });
  });

  describe("the mailbox lifecycle through the API", () => {
    it("creates, connects, fails and passes a test, and deletes a mailbox", async () => {
      const admin = adminOf(h, await h.token("lifecycle", { email: "ida@acme.example" }));

      const created = await admin.create("HR@Acme.example");
      const twice = await admin.create("hr@acme.example");
      const saved = await admin.smtp({
        username: "hr@acme.example",
        password: "wrong",
        port: sink.port,
      });
      const failed = await admin.test();
      await admin
        .smtp({ username: "hr@acme.example", password: "pw", port: sink.port })
        .expect(200);
      const passed = await admin.test();
      const events = await admin.events();
      const deleted = await admin.remove();
      const after = await admin.get();
      const rows = await h.query("SELECT id FROM mailboxes WHERE tenant = ?", ["lifecycle"]);

      expect(created.status).toBe(201);
      expect(created.body.mailbox).toMatchObject({ address: "hr@acme.example", status: "created" });
      expect([twice.status, twice.body.error.code]).toEqual([409, "mailbox_exists"]);
      expect(saved.body.mailbox).toMatchObject({
        status: "configured",
        smtp: { host: "localhost", port: sink.port, secure: true, username: "hr@acme.example" },
      });
      expect(failed.status).toBe(422);
      expect(failed.body.mailbox).toMatchObject({
        status: "configured",
        lastError: { at: expect.any(String) },
      });
      expect(passed.body).toMatchObject({
        ok: true,
        mailbox: { status: "active", lastError: null },
      });
      expect(Date.parse(passed.body.mailbox.activatedAt)).toBeGreaterThanOrEqual(
        Date.parse(created.body.mailbox.createdAt),
      );
      expect(events.body.events.map((event: { type: string }) => event.type)).toEqual([
        "mailbox.activated",
        "test.passed",
        "connection.saved",
        "test.failed",
        "connection.saved",
        "mailbox.created",
      ]);
      expect(deleted.status).toBe(204);
      expect(after.body.mailbox).toBeNull();
      expect(rows).toEqual([]);
    });
  });

  describe("sending", () => {
    it("sends through an active SMTP mailbox and keeps no body once it is sent", async () => {
      await activeSmtpMailbox(h, "sender", "hr@acme.example", {
        username: "hr@acme.example",
        password: "pw",
        port: sink.port,
      });

      const result = await h.integration.send("sender", mail(0));

      expect(result).toMatchObject({ status: "sent", via: "mailbox" });
      const arrived = sink.received.find((m) => m.parsed.messageId === result.messageId);
      expect(arrived?.parsed.from?.value[0]?.address).toBe("hr@acme.example");
      const [row] = await h.query<{
        status: string;
        payload: string | null;
        lockedUntil: Date | null;
      }>('SELECT status, payload, "lockedUntil" FROM outbox_messages WHERE "messageId" = ?', [
        result.messageId,
      ]);
      expect(row).toEqual({ status: "sent", payload: null, lockedUntil: null });
    });
  });

  describe("several instances on one database", () => {
    it("deliver a shared outbox claimed at once by two integrations and a process of its own, each message once", async () => {
      let busy = false;
      const shared = await startSmtpSink({
        delayMs: 5,
        rejectSender: () => (busy ? { code: 451, message: "4.3.0 Try again later" } : null),
      });
      const other = await startHarness({ databaseUrl: h.databaseUrl });
      const child = startOutboxProcess(h.databaseUrl, h.dataDir);
      try {
        await activeSmtpMailbox(h, "shared", "hr@shared.example", { port: shared.port });
        const total = 120;

        busy = true;
        const queued = await Promise.all(
          Array.from({ length: total }, (_, i) => h.integration.send("shared", mail(i))),
        );
        busy = false;
        await child.ready;
        await untilEveryMessageIsDue(h);

        const [mine, theirs, itsOwn] = await Promise.all([
          deliverWhileQueued(h.integration, h.databaseUrl),
          deliverWhileQueued(other.integration, h.databaseUrl),
          child.go(),
        ]);

        expect(queued.every((result) => result.status === "queued")).toBe(true);
        expect(mine + theirs + itsOwn).toBe(total);
        const count = tally(
          queued.map((result) => result.messageId!),
          shared.messageIds(),
        );
        expect(count).toEqual({ sent: total, arrived: total, lost: 0, duplicates: 0 });
        const left = await h.query<{ status: string; n: number }>(
          "SELECT status, COUNT(*) AS n FROM outbox_messages WHERE tenant = 'shared' GROUP BY status",
        );
        expect(left).toEqual([{ status: "sent", n: total }]);
      } finally {
        child.kill();
        await other.close();
        await shared.close();
      }
    });
  });
});

/** What an instance of the service needs beyond its database, as the harness would give. */
function instanceOptions(databaseUrl: string, dataDir: string) {
  return {
    environment: { NODE_ENV: "test" },
    env: "test" as const,
    databaseUrl,
    dataDir,
    embedSecret: EMBED_SECRET,
    secretKey: SECRET_KEY,
    sessionSecret: "test-session-secret",
    worker: { enabled: false, pollMs: 50, batchSize: 20, leaseMs: 30_000 },
    google: null,
    microsoft: null,
  };
}

/** test/support/outbox-process.ts, started now and told to deliver by `go`. */
function startOutboxProcess(databaseUrl: string, dataDir: string) {
  const script = fileURLToPath(new URL("../support/outbox-process.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, databaseUrl, dataDir, SECRET_KEY],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`the outbox process exited with ${child.exitCode}`);
    return line.value;
  };

  const ready = next().then((line) => expect(line).toBe("ready"));
  ready.catch(() => undefined); // awaited by the test; this only keeps an early exit "handled"

  return {
    ready,
    async go(): Promise<number> {
      child.stdin.end("go\n");
      const { delivered } = JSON.parse(await next()) as { delivered: number };
      await once(child, "exit");
      return delivered;
    },
    kill: () => child.kill(),
  };
}

/** Messages put off by a 421 are due a little later; claims only take those already due. */
async function untilEveryMessageIsDue(h: Harness): Promise<void> {
  const [row] = await h.query<{ latest: Date }>(
    `SELECT MAX("nextAttemptAt") AS latest FROM outbox_messages WHERE status = 'queued'`,
  );
  const wait = new Date(row!.latest).getTime() - Date.now() + 1;
  if (wait > 0) await new Promise((settle) => setTimeout(settle, wait));
}

async function unusedPort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise((closed) => probe.close(closed));
  return port;
}
