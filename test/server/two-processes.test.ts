import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_KEY, startHarness, type Harness } from "../support/harness.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { activeSmtpMailbox, adminOf } from "../support/steps.js";

const run = promisify(execFile);
const hostScript = fileURLToPath(new URL("../support/host-process.ts", import.meta.url));

let h: Harness;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  h = await startHarness();
  await activeSmtpMailbox(h, "shared", "hr@acme.example", { port: sink.port });
});
afterAll(async () => {
  await h.close();
  await sink.close();
});

describe("two processes on one SQLite file", () => {
  it("lets a host process send while the server process writes, without losing or failing any", async () => {
    const perProcess = 40;
    const host = run(
      process.execPath,
      [
        "--import",
        "tsx",
        hostScript,
        h.databaseFile,
        h.dataDir,
        "shared",
        String(perProcess),
        SECRET_KEY,
      ],
      { timeout: 120_000 },
    );

    const serverSide = (async () => {
      const results = [];
      for (let i = 0; i < perProcess; i += 1) {
        const admin = adminOf(h, await h.token(`busy-${i}`));
        await admin.create(`b${i}@acme.example`).expect(201);
        results.push(
          await h.integration.send("shared", {
            to: "employee@acme.example",
            subject: `server ${i}`,
            text: "x",
          }),
        );
      }
      return results;
    })();

    const [{ stdout }, serverResults] = await Promise.all([host, serverSide]);
    const hostResults = JSON.parse(stdout) as { status: string; via: string }[];

    expect(hostResults).toHaveLength(perProcess);
    expect(
      [...hostResults, ...serverResults].every((r) => r.status === "sent" && r.via === "mailbox"),
    ).toBe(true);
    await sink.waitFor(1 + 2 * perProcess, 30_000);
    const subjects = new Set(sink.received.map((mail) => mail.parsed.subject));
    for (let i = 0; i < perProcess; i += 1) {
      expect(subjects.has(`host ${i}`)).toBe(true);
      expect(subjects.has(`server ${i}`)).toBe(true);
    }
  });
});
