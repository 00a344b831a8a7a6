import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queryFile } from "../../support/database.js";
import {
  activeMailbox,
  deleteMailbox,
  getEvents,
  getMailbox,
  runConsent,
  startWorld,
  type World,
} from "./world.js";

const ADDRESS = "hr@acme.example";
let world: World;

beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => world.close());

describe("deleting a Gmail or Microsoft mailbox", () => {
  it("revokes the Google grant at Google's revoke endpoint and records it", async () => {
    await activeMailbox(world, "google", "acme", ADDRESS);

    const deleted = await deleteMailbox(world, "acme");

    expect(deleted.status).toBe(204);
    expect(world.google.revocations).toEqual([world.google.issuedRefreshTokens[0]]);
    const events = await getEvents(world, "acme");
    expect(events.slice(0, 2)).toEqual([
      expect.objectContaining({ type: "mailbox.deleted" }),
      expect.objectContaining({
        type: "grant.revoked",
        detail: "Google consent revoked at Google; the tokens were erased",
      }),
    ]);
    expect(await queryFile(world.h.databaseFile, "SELECT id FROM mailboxes")).toEqual([]);
  });

  it("erases the Microsoft tokens, which Microsoft cannot revoke one by one, and records it", async () => {
    await activeMailbox(world, "microsoft", "acme", ADDRESS);

    const deleted = await deleteMailbox(world, "acme");

    expect(deleted.status).toBe(204);
    expect(world.microsoft.revocations).toEqual([]);
    const events = await getEvents(world, "acme");
    expect(events[1]).toMatchObject({ type: "grant.erased" });
    expect(events[1]!.detail).toMatch(/^Microsoft tokens erased; /);
    expect(await queryFile(world.h.databaseFile, "SELECT id FROM mailboxes")).toEqual([]);
    expect((await getMailbox(world, "acme")).mailbox).toBeNull();
  });

  it("deletes the mailbox all the same when Google's revoke endpoint fails, and says so", async () => {
    await activeMailbox(world, "google", "acme", ADDRESS);
    world.google.failNextRevocation(503);

    const deleted = await deleteMailbox(world, "acme");

    expect(deleted.status).toBe(204);
    const events = await getEvents(world, "acme");
    expect(events.slice(0, 2)).toEqual([
      expect.objectContaining({ type: "mailbox.deleted" }),
      expect.objectContaining({
        type: "grant.revoke_failed",
        detail: "google consent could not be revoked; the tokens were erased anyway",
      }),
    ]);
    expect(await queryFile(world.h.databaseFile, "SELECT id FROM mailboxes")).toEqual([]);
  });
});

describe("replacing a Google connection", () => {
  it("revokes the Google grant when the mailbox switches to SMTP", async () => {
    await activeMailbox(world, "google", "acme", ADDRESS);
    const token = await world.h.token("acme");

    const saved = await world.h.request
      .put("/api/mailbox/smtp")
      .set("Authorization", `Bearer ${token}`)
      .send({
        username: ADDRESS,
        password: "secret",
        host: "127.0.0.1",
        port: 2525,
        secure: false,
      });

    expect(saved.status).toBe(200);
    expect(saved.body.mailbox).toMatchObject({
      method: "smtp",
      account: null,
      status: "configured",
    });
    expect(world.google.revocations).toEqual([world.google.issuedRefreshTokens[0]]);
  });

  it("revokes the Google grant when the mailbox consents with Microsoft instead", async () => {
    await activeMailbox(world, "google", "acme", ADDRESS);
    world.microsoft.account = ADDRESS;

    const outcome = await runConsent(world, "microsoft", "acme");

    expect(outcome.report.ok).toBe(true);
    expect((await getMailbox(world, "acme")).mailbox).toMatchObject({
      method: "microsoft",
      status: "configured",
      account: ADDRESS,
    });
    expect(world.google.revocations).toEqual([world.google.issuedRefreshTokens[0]]);
  });

  it("keeps the grant when the same provider consents again", async () => {
    await activeMailbox(world, "google", "acme", ADDRESS);

    const outcome = await runConsent(world, "google", "acme");

    expect(outcome.report.ok).toBe(true);
    expect(world.google.revocations).toEqual([]);
    expect((await getMailbox(world, "acme")).mailbox).toMatchObject({ status: "configured" });
  });
});
