import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryFile } from "../support/database.js";
import { startHarness, type Harness } from "../support/harness.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { activeSmtpMailbox, adminOf } from "../support/steps.js";

let h: Harness;
let tenantServer: SmtpSink;
let defaultServer: SmtpSink;

beforeAll(async () => {
  tenantServer = await startSmtpSink({ logins: { "people@acme.example": "right-password" } });
  defaultServer = await startSmtpSink({ tls: "plain" });
  h = await startHarness({
    defaultSmtpUrl: `smtp://127.0.0.1:${defaultServer.port}`,
    defaultFrom: "HRMS Notifications <notifications@platform.example>",
  });
});
afterAll(async () => {
  await h.close();
  await tenantServer.close();
  await defaultServer.close();
});

const smtpOfAcme = (password = "right-password") => ({
  username: "people@acme.example",
  password,
  port: tenantServer.port,
});

async function lastMailOf(server: SmtpSink, subject: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = server.received.find((mail) => mail.parsed.subject === subject);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" arrived`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

const message = (subject: string) => ({
  to: "employee@acme.example",
  subject,
  text: "Your leave request for 3 June was approved.",
  html: "<p>Your leave request for <b>3 June</b> was approved.</p>",
});

describe("integration.send follows the mailbox states", () => {
  it("sends from the default mailbox without Reply-To when the tenant has no mailbox", async () => {
    const result = await h.integration.send("no-mailbox", message("no mailbox"));

    expect(result).toMatchObject({ status: "sent", via: "default" });
    expect(result.messageId).toMatch(/^<.+@127\.0\.0\.1>$/);
    const mail = await lastMailOf(defaultServer, "no mailbox");
    expect(mail.parsed.from?.value).toEqual([
      { name: "HRMS Notifications", address: "notifications@platform.example" },
    ]);
    expect(mail.parsed.replyTo).toBeUndefined();
    expect(mail.parsed.to).toMatchObject({ value: [{ address: "employee@acme.example" }] });
    expect(mail.parsed.text?.trim()).toBe("Your leave request for 3 June was approved.");
    expect(mail.parsed.html).toContain("<b>3 June</b>");
    expect(mail.parsed.messageId).toBe(result.messageId);
  });

  it("adds the mailbox as Reply-To while it is created, configured or inactive, and sends from it once active", async () => {
    const tenant = "states";
    const admin = adminOf(h, await h.token(tenant, { email: "ida@acme.example", name: "Ida" }));

    await admin.create("people@acme.example").expect(201);
    await h.integration.send(tenant, message("while created"));
    await admin.smtp(smtpOfAcme()).expect(200);
    await h.integration.send(tenant, message("while configured"));
    await admin.test().expect(200);
    const active = await h.integration.send(tenant, message("while active"));

    for (const subject of ["while created", "while configured"]) {
      const mail = await lastMailOf(defaultServer, subject);
      expect(mail.parsed.from?.value[0]?.address).toBe("notifications@platform.example");
      expect(mail.parsed.replyTo?.value).toEqual([
        { name: "Acme People", address: "people@acme.example" },
      ]);
    }
    expect(active).toMatchObject({ status: "sent", via: "mailbox" });
    const mail = await lastMailOf(tenantServer, "while active");
    expect(mail.parsed.from?.value).toEqual([
      { name: "Acme People", address: "people@acme.example" },
    ]);
    expect(mail.parsed.replyTo).toBeUndefined();
    expect(mail.envelope.to).toEqual(["employee@acme.example"]);
  });

  it("deactivates a mailbox whose login is refused, sends through the default mailbox, and tells the admin", async () => {
    const tenant = "deactivated";
    const server = await startSmtpSink({ logins: { "people@acme.example": "right-password" } });
    const token = await activeSmtpMailbox(h, tenant, "people@acme.example", {
      ...smtpOfAcme(),
      port: server.port,
    });
    const admin = adminOf(h, token);
    await server.close();
    // The same port, now with a server that refuses the stored password: the password was changed.
    const changed = await startSmtpSink({
      port: server.port,
      logins: { "people@acme.example": "new-password" },
    });

    const result = await h.integration.send(tenant, message("after the password changed"));
    await h.integration.flush();

    expect(result).toMatchObject({ status: "sent", via: "default" });
    const mail = await lastMailOf(defaultServer, "after the password changed");
    expect(mail.parsed.replyTo?.value).toEqual([
      { name: "Acme People", address: "people@acme.example" },
    ]);
    const { body } = await admin.get();
    expect(body.mailbox.status).toBe("inactive");
    expect(body.mailbox.lastError.code).toBe("smtp_auth_failed");
    expect(body.mailbox.deactivatedAt).not.toBeNull();
    const notice = await lastMailOf(
      defaultServer,
      "Action needed: mail is no longer sent from people@acme.example",
    );
    expect(notice.envelope.to.sort()).toEqual(["ida@acme.example", "people@acme.example"]);
    expect(notice.parsed.text).toContain("refused the username or password");
    expect(notice.parsed.text).toContain("Setup > Integrations");
    expect(notice.parsed.replyTo).toBeUndefined();
    const events = await admin.events();
    expect(events.body.events.slice(0, 2).map((e: { type: string }) => e.type)).toEqual([
      "notice.sent",
      "mailbox.deactivated",
    ]);
    expect(changed.received).toHaveLength(0);
    await changed.close();
  });

  it("lets the caller's own replyTo win over the mailbox's", async () => {
    const tenant = "caller-reply-to";
    await adminOf(h, await h.token(tenant))
      .create("hr@caller.example")
      .expect(201);

    await h.integration.send(tenant, {
      ...message("caller reply-to"),
      replyTo: "manager@acme.example",
    });

    const mail = await lastMailOf(defaultServer, "caller reply-to");
    expect(mail.parsed.replyTo?.value).toEqual([{ name: "", address: "manager@acme.example" }]);
  });

  it("goes back to the default address without Reply-To once the mailbox is deleted", async () => {
    const tenant = "deleted";
    const admin = adminOf(h, await h.token(tenant));
    await admin.create("hr@deleted.example").expect(201);
    await admin.remove().expect(204);

    await h.integration.send(tenant, message("after delete"));

    const mail = await lastMailOf(defaultServer, "after delete");
    expect(mail.parsed.replyTo).toBeUndefined();
  });

  it("delivers cc, bcc and attachments", async () => {
    await h.integration.send("attachments", {
      to: ["a@acme.example", "b@acme.example"],
      cc: "c@acme.example",
      bcc: ["d@acme.example"],
      subject: "payslip",
      text: "Your payslip is attached.",
      attachments: [
        {
          filename: "payslip.pdf",
          content: Buffer.from("%PDF-1.4 fake"),
          contentType: "application/pdf",
        },
        { filename: "note.txt", content: "aGVsbG8=", encoding: "base64" },
      ],
    });

    const mail = await lastMailOf(defaultServer, "payslip");
    expect(mail.envelope.to.sort()).toEqual([
      "a@acme.example",
      "b@acme.example",
      "c@acme.example",
      "d@acme.example",
    ]);
    expect(mail.parsed.headers.has("bcc")).toBe(false);
    expect(
      mail.parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()]),
    ).toEqual([
      ["payslip.pdf", "application/pdf", "%PDF-1.4 fake"],
      ["note.txt", "text/plain", "hello"],
    ]);
  });

  it("marks a message refused by the server as failed, and keeps the mailbox active", async () => {
    const tenant = "unknown-recipient";
    const server = await startSmtpSink({
      rejectRecipient: (address) =>
        address.startsWith("nobody@") ? { code: 550, message: "5.1.1 No such user" } : null,
    });
    const token = await activeSmtpMailbox(h, tenant, "hr@unknown.example", { port: server.port });

    const result = await h.integration.send(tenant, {
      ...message("to nobody"),
      to: "nobody@acme.example",
    });

    expect(result).toMatchObject({ status: "failed", via: "mailbox" });
    const { body } = await adminOf(h, token).get();
    expect(body.mailbox.status).toBe("active");
    await server.close();
  });
});

describe("integration.send refuses bad messages before storing them", () => {
  it.each([
    ["no recipient", { subject: "s", text: "t" }, "to"],
    ["a recipient that is not an address", { to: "nope", subject: "s", text: "t" }, "to"],
    [
      "a subject with a line break",
      { to: "a@b.example", subject: "s\r\nBcc: x@y.example", text: "t" },
      "subject",
    ],
    ["no body", { to: "a@b.example", subject: "s" }, "text"],
    [
      "an attachment read from a path",
      {
        to: "a@b.example",
        subject: "s",
        text: "t",
        attachments: [{ filename: "x", path: "/etc/passwd" }],
      },
      "attachments.0.path",
    ],
  ])("refuses %s with invalid_input", async (_name, input, field) => {
    const attempt = h.integration.send("bad-input", input as never);

    await expect(attempt).rejects.toMatchObject({ code: "invalid_input", field });
    const stored = await queryFile(
      h.databaseFile,
      "SELECT id FROM outbox_messages WHERE tenant = ?",
      ["bad-input"],
    );
    expect(stored).toEqual([]);
  });

  it("never lets the caller choose From", async () => {
    const input = { ...message("caller from"), from: "ceo@acme.example" };

    await h.integration.send("caller-from", input as never);

    const mail = await lastMailOf(defaultServer, "caller from");
    expect(mail.parsed.from?.value[0]?.address).toBe("notifications@platform.example");
  });
});

describe("the default mailbox without DEFAULT_SMTP_URL", () => {
  it("writes each message as an .eml file under data/mail", async () => {
    const files = await startHarness();
    try {
      const result = await files.integration.send("eml", message("as a file"));

      expect(result).toMatchObject({ status: "sent", via: "default" });
      const folder = join(files.dataDir, "mail");
      const [name] = readdirSync(folder);
      const parsed = await simpleParser(readFileSync(join(folder, name!)));
      expect(parsed.subject).toBe("as a file");
      expect(parsed.from?.value[0]?.address).toBe("notifications@localhost");
    } finally {
      await files.close();
    }
  });
});
