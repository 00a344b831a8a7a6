import { afterEach, describe, expect, it } from "vitest";
import { startHarness } from "../../support/harness.js";
import { adminOf } from "../../support/steps.js";
import {
  activeMailbox,
  consentAddress,
  createMailbox,
  getMailbox,
  readPage,
  startWorld,
  type World,
} from "./world.js";

let world: World;
afterEach(async () => world.close());

describe("a method whose client is not configured", () => {
  it("is off in the methods flags, and its consent address is refused", async () => {
    world = await startWorld({ google: null, microsoft: null });
    await createMailbox(world, "acme", "hr@acme.example");

    expect((await getMailbox(world, "acme")).methods).toEqual({
      smtp: true,
      google: false,
      microsoft: false,
    });
    for (const provider of ["google", "microsoft"] as const) {
      const answer = await consentAddress(world, provider, "acme");
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe("method_unavailable");
    }
  });

  it("says so on its start and callback pages", async () => {
    world = await startWorld({ microsoft: null });

    const start = readPage(await world.h.request.get("/auth/microsoft/start?ticket=x"));
    const callback = readPage(
      await world.h.request.get("/auth/microsoft/callback?code=abc&state=def"),
    );

    for (const { page, report } of [start, callback]) {
      expect(page.status).toBe(409);
      expect(report).toMatchObject({ provider: "microsoft", ok: false });
      expect(report.error?.code).toBe("method_unavailable");
      expect(report.error?.message).toMatch(/^Microsoft sign-in is not set up on this service/);
    }
    expect((await getMailboxMethods()).google).toBe(true);
  });

  it("says so on its start page when no provider is set up at all", async () => {
    world = await startWorld({ google: null, microsoft: null });

    for (const provider of ["google", "microsoft"] as const) {
      const { page, report } = readPage(
        await world.h.request.get(`/auth/${provider}/start?ticket=x`),
      );

      expect(page.status).toBe(409);
      expect(report).toMatchObject({ provider, ok: false, error: { code: "method_unavailable" } });
    }
  });
});

describe("the consent address call", () => {
  it("needs an embed token, a known provider and a mailbox", async () => {
    world = await startWorld();
    const token = await world.h.token("acme");

    const anonymous = await world.h.request.post("/api/mailbox/oauth/google");
    const unknown = await world.h.request
      .post("/api/mailbox/oauth/yahoo")
      .set("Authorization", `Bearer ${token}`);
    const noMailbox = await consentAddress(world, "google", "acme");

    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "unauthorized"]);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
    expect([noMailbox.status, noMailbox.body.error.code]).toEqual([404, "no_mailbox"]);
    expect((await world.h.request.get("/auth/yahoo/start?ticket=x")).status).toBe(404);
  });

  it("answers a popup that arrives without a consent under way with invalid_state", async () => {
    world = await startWorld();

    const outcome = readPage(await world.h.request.get("/auth/google/callback?code=a&state=b"));

    expect(outcome.page.status).toBe(400);
    expect(outcome.report.error?.code).toBe("invalid_state");
    expect(outcome.targets).toEqual(["http://host.example"]);
  });
});

async function getMailboxMethods() {
  const token = await world.h.token("acme");
  const answer = await world.h.request.get("/api/mailbox").set("Authorization", `Bearer ${token}`);
  return answer.body.methods as Record<string, boolean>;
}

describe("a mailbox whose method the operator has since turned off", () => {
  it("fails its test mail with method_unavailable, and its mail falls back to the default mailbox", async () => {
    world = await startWorld();
    await activeMailbox(world, "google", "acme", "hr@acme.example");
    await world.h.integration.close();
    const restarted = await startHarness({
      databaseUrl: `sqlite:${world.h.databaseFile}`,
      google: null,
      microsoft: null,
    });
    try {
      const admin = adminOf(restarted, await restarted.token("acme"));

      const test = await admin.test();
      const sent = await restarted.integration.send("acme", {
        to: "e@acme.example",
        subject: "s",
        text: "t",
      });

      expect(test.status).toBe(422);
      expect(test.body.error.code).toBe("method_unavailable");
      expect(sent).toMatchObject({ status: "sent", via: "default" });
      const { body } = await admin.get();
      expect(body.mailbox).toMatchObject({
        status: "inactive",
        lastError: { code: "method_unavailable" },
      });
    } finally {
      await restarted.close();
    }
  });
});
