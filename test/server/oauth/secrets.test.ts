import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { queryFile } from "../../support/database.js";
import {
  activeMailbox,
  deleteMailbox,
  getEvents,
  getMailbox,
  runConsent,
  sendTestMail,
  startWorld,
  type World,
} from "./world.js";

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => world.close());

it.each(["google", "microsoft"] as const)(
  "keeps %s tokens out of the database file, every answer and every log line",
  async (provider) => {
    const { idp, api } = world.fakes(provider);
    idp.expiresIn = 60;
    await activeMailbox(world, provider, "acme", "hr@acme.example");
    await world.h.integration.send("acme", {
      to: "employee@acme.example",
      subject: "Payslip",
      text: "Attached.",
    });
    await runConsent(world, provider, "acme");
    await sendTestMail(world, "acme");
    await getMailbox(world, "acme");
    await getEvents(world, "acme");

    const tokens = idp.issuedTokens;
    expect(tokens.length).toBeGreaterThanOrEqual(6);
    expect(api.received.length).toBeGreaterThanOrEqual(3);
    const [row] = await queryFile<{ credentials: string }>(
      world.h.databaseFile,
      "SELECT credentials FROM mailboxes",
    );
    expect(row!.credentials).toMatch(/^v1\.[0-9a-f]{8}\./);

    const database = databaseFiles(world).map((file) => readFileSync(file).toString("latin1"));
    for (const token of tokens) {
      expect(database.some((content) => content.includes(token))).toBe(false);
      expect(world.answers.some((answer) => answer.includes(token))).toBe(false);
      expect(world.logLines.some((line) => line.includes(token))).toBe(false);
    }
    expect(world.answers.length).toBeGreaterThan(10);
    expect(world.logLines.length).toBeGreaterThan(10);

    await deleteMailbox(world, "acme");
    const afterDelete = databaseFiles(world).map((file) => readFileSync(file).toString("latin1"));
    for (const token of tokens) {
      expect(afterDelete.some((content) => content.includes(token))).toBe(false);
    }
  },
);

/** The SQLite file and its write-ahead log, where recent writes sit until a checkpoint. */
function databaseFiles(world: World): string[] {
  return readdirSync(world.h.dataDir)
    .filter((name) => name.startsWith("test.sqlite"))
    .map((name) => join(world.h.dataDir, name));
}
