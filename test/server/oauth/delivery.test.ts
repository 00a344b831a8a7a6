import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  activeMailbox,
  createMailbox,
  getEvents,
  runConsent,
  sendTestMail,
  startWorld,
  type World,
} from "./world.js";

const ADDRESS = "hr@acme.example";
const PAYSLIP = Buffer.from("%PDF-1.4 payslip for March\n");
let world: World;

beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => world.close());

describe.each(["google", "microsoft"] as const)("delivery through %s's mail API", (provider) => {
  it("sends the test mail through the API and makes the mailbox active", async () => {
    const { idp, api } = world.fakes(provider);
    idp.account = ADDRESS;
    await createMailbox(world, "acme", ADDRESS);
    await runConsent(world, provider, "acme");

    const test = await sendTestMail(world, "acme");

    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: true, mailbox: { status: "active", method: provider } });
    expect(api.received).toHaveLength(1);
    const mail = api.received[0]!.parsed;
    expect(mail.from?.value).toEqual([{ name: "Acme HR", address: ADDRESS }]);
    expect(mail.to).toMatchObject({ value: [{ address: ADDRESS }] });
    expect(mail.subject).toBe("Test mail: your mailbox is connected");
    expect((await getEvents(world, "acme")).map((event) => event.type).slice(0, 2)).toEqual([
      "mailbox.activated",
      "test.passed",
    ]);
  });

  it("delivers a tenant's mail as MIME: From, Reply-To, Subject, body, attachment and Bcc", async () => {
    await activeMailbox(world, provider, "acme", ADDRESS);
    const { api } = world.fakes(provider);

    const result = await world.h.integration.send("acme", {
      to: "employee@acme.example",
      cc: "manager@acme.example",
      bcc: "archive@acme.example",
      replyTo: "payroll@acme.example",
      subject: "Your payslip for March",
      text: "Your payslip is attached.",
      html: "<p>Your payslip is <b>attached</b>.</p>",
      attachments: [{ filename: "payslip.pdf", content: PAYSLIP, contentType: "application/pdf" }],
    });

    expect(result).toMatchObject({ status: "sent", via: "mailbox" });
    expect(api.received).toHaveLength(2);
    const { parsed, raw } = api.received[1]!;
    expect(parsed.from?.value).toEqual([{ name: "Acme HR", address: ADDRESS }]);
    expect(parsed.replyTo?.value).toEqual([{ name: "", address: "payroll@acme.example" }]);
    expect(parsed.to).toMatchObject({ value: [{ address: "employee@acme.example" }] });
    expect(parsed.cc).toMatchObject({ value: [{ address: "manager@acme.example" }] });
    expect(parsed.subject).toBe("Your payslip for March");
    expect(parsed.text?.trim()).toBe("Your payslip is attached.");
    expect(parsed.html).toBe("<p>Your payslip is <b>attached</b>.</p>");
    expect(parsed.messageId).toBe(result.messageId);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]).toMatchObject({
      filename: "payslip.pdf",
      contentType: "application/pdf",
    });
    expect(parsed.attachments[0]!.content.equals(PAYSLIP)).toBe(true);
    // The APIs find Bcc recipients in the message itself, and drop the header on delivery.
    expect(raw.toString()).toMatch(/^Bcc: archive@acme\.example\r$/m);
  });

  it("adds no Reply-To of its own while the mailbox is active", async () => {
    await activeMailbox(world, provider, "acme", ADDRESS);

    await world.h.integration.send("acme", {
      to: "employee@acme.example",
      subject: "Leave approved",
      text: "Enjoy your holiday.",
    });

    const { parsed } = world.fakes(provider).api.received.at(-1)!;
    expect(parsed.from?.value[0]?.address).toBe(ADDRESS);
    expect(parsed.replyTo).toBeUndefined();
  });

  it("presents a bearer token that the provider issued for sending", async () => {
    await activeMailbox(world, provider, "acme", ADDRESS);
    const { idp, api } = world.fakes(provider);

    expect(api.presentedTokens).toEqual([idp.issuedAccessTokens[0]]);
    expect(api.received[0]!.token).toBe(idp.issuedAccessTokens[0]);
  });
});
