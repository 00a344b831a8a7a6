import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecretBox } from "../../server/crypto/secret-box.js";
import { queryFile } from "../support/database.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { activeSmtpMailbox, adminOf } from "../support/steps.js";

const PASSWORD = "Sup3r-Secret-Pa55word-for-the-test";
let h: Harness;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink({ logins: { "hr@stored.example": PASSWORD } });
  h = await startHarness();
  await activeSmtpMailbox(h, "stored", "hr@stored.example", {
    username: "hr@stored.example",
    password: PASSWORD,
    port: sink.port,
  });
  await h.integration.send("stored", {
    to: "e@stored.example",
    subject: "private",
    text: "salary: 4200",
  });
});
afterAll(async () => {
  await h.close();
  await sink.close();
});

describe("credentials at rest", () => {
  it("never writes the SMTP password in plain text to the database files", () => {
    const files = readdirSync(h.dataDir).filter((name) => name.startsWith("test.sqlite"));

    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const bytes = readFileSync(join(h.dataDir, name));
      expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(PASSWORD).toString("base64")))).toBe(false);
    }
  });

  it("stores the password sealed with a named key, and nothing of the message once it is sent", async () => {
    const [mailbox] = await queryFile<{ credentials: string }>(
      h.databaseFile,
      "SELECT credentials FROM mailboxes",
    );
    const [message] = await queryFile<{ payload: string | null; status: string }>(
      h.databaseFile,
      "SELECT payload, status FROM outbox_messages WHERE tenant = 'stored'",
    );

    expect(mailbox!.credentials).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(message).toEqual({ payload: null, status: "sent" });
  });

  it("never answers the password", async () => {
    const token = await h.token("stored");
    const answers = await Promise.all([adminOf(h, token).get(), adminOf(h, token).events()]);

    for (const answer of answers) expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
  });
});

describe("the secret box", () => {
  const oldKey = Buffer.alloc(32, 1);
  const newKey = Buffer.alloc(32, 2);

  it("opens what an older key sealed after the key is rotated, and seals with the new one", () => {
    const sealed = new SecretBox(oldKey).seal("pw");
    const rotated = new SecretBox(newKey, [oldKey]);

    expect(rotated.open(sealed)).toBe("pw");
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.isStale(rotated.seal("pw"))).toBe(false);
  });

  it("refuses a sealed value that was tampered with", () => {
    const box = new SecretBox(newKey);
    const sealed = box.seal("pw");
    const parts = sealed.split(".");
    parts[4] = Buffer.from("px").toString("base64url");

    expect(() => box.open(parts.join("."))).toThrow();
  });

  it("refuses a value sealed with a key it does not hold", () => {
    expect(() => new SecretBox(newKey).open(new SecretBox(oldKey).seal("pw"))).toThrow(
      /unknown format or key/,
    );
  });
});

describe("rotating SECRET_KEY", () => {
  it("seals stored credentials again with the new key at start, and they still work", async () => {
    const oldKey = "b".repeat(64);
    const newKey = "c".repeat(64);
    const first = await startHarness({ secretKey: oldKey });
    const token = await first.token("rotate");
    await adminOf(first, token).create("hr@stored.example").expect(201);
    await adminOf(first, token)
      .smtp({ username: "hr@stored.example", password: PASSWORD, port: sink.port })
      .expect(200);
    const before = await queryFile<{ credentials: string }>(
      first.databaseFile,
      "SELECT credentials FROM mailboxes",
    );
    await first.integration.close();

    const second = await startHarness({
      databaseUrl: `sqlite:${first.databaseFile}`,
      secretKey: newKey,
      previousSecretKeys: [oldKey],
    });
    try {
      const after = await queryFile<{ credentials: string }>(
        first.databaseFile,
        "SELECT credentials FROM mailboxes",
      );
      const test = await adminOf(second, token).test();

      expect(after[0]!.credentials.split(".")[1]).not.toBe(before[0]!.credentials.split(".")[1]);
      expect(test.status).toBe(200);
    } finally {
      await second.close();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});

describe("the schema", () => {
  it("records each migration once, and starts again on its own database without migrating it anew", async () => {
    const first = await startHarness();
    const token = await first.token("restart");
    await adminOf(first, token).create("hr@restart.example").expect(201);
    await first.integration.close();

    const second = await startHarness({ databaseUrl: `sqlite:${first.databaseFile}` });
    try {
      const recorded = await second.query<{ name: string }>(
        `SELECT "name" FROM "schema_migrations" ORDER BY "name"`,
      );
      const mailbox = await adminOf(second, token).get().expect(200);

      expect(recorded.map((row) => row.name)).toEqual(["001-initial", "002-oauth-consent"]);
      expect(mailbox.body.mailbox).toMatchObject({ address: "hr@restart.example" });
    } finally {
      await second.close();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
