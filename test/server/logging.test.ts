import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../server/log.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { adminOf } from "../support/steps.js";

const PASSWORD = "Log-Must-Never-Hold-This-9f8e7d";
const BODY = "Confidential salary figure 98765";
const lines: string[] = [];
let h: Harness;
let sink: SmtpSink;

beforeAll(async () => {
  const memory = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  sink = await startSmtpSink({ logins: { "hr@logged.example": PASSWORD } });
  h = await startHarness({ logger: createLogger("debug", memory) });
});
afterAll(async () => {
  await h.close();
  await sink.close();
});

describe("the log", () => {
  it("records what happened with fixed fields, and never a password, a token or a body", async () => {
    const token = await h.token("logged");
    const admin = adminOf(h, token);
    await admin.create("hr@logged.example").expect(201);
    await admin.smtp({
      username: "hr@logged.example",
      password: "wrong-" + PASSWORD,
      port: sink.port,
    });
    await admin.test().expect(422);
    await admin.smtp({ username: "hr@logged.example", password: PASSWORD, port: sink.port });
    await admin.test().expect(200);
    await h.integration.send("logged", { to: "e@logged.example", subject: "pay", text: BODY });
    await h.request.post("/api/mailbox").set("Authorization", `Bearer ${token}x`).send({});

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const text = lines.join("\n");
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(token);
    expect(text).not.toContain(BODY);
    expect(records).toContainEqual(
      expect.objectContaining({
        tenant: "logged",
        method: "smtp",
        code: "smtp_auth_failed",
        msg: "test mail failed",
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        tenant: "logged",
        httpMethod: "PUT",
        path: "/api/mailbox/smtp",
        status: 200,
      }),
    );
    expect(
      records.filter((r) => r.msg === "request").every((r) => typeof r.requestId === "string"),
    ).toBe(true);
  });
});

describe("a logger the host passes in", () => {
  it("writes the request lines with the host's own settings", async () => {
    const hostLines: string[] = [];
    const memory = new Writable({
      write(chunk, _encoding, done) {
        hostLines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    const logger = pino({ level: "info", redact: ["tenant"], base: { host: "hrms" } }, memory);
    const host = await startHarness({ logger });
    try {
      await adminOf(host, await host.token("hosted"))
        .get()
        .expect(200);
    } finally {
      await host.close();
    }

    const requests = hostLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record.msg === "request");
    expect(requests).toContainEqual(
      expect.objectContaining({ host: "hrms", tenant: "[Redacted]", path: "/api/mailbox" }),
    );
  });
});
