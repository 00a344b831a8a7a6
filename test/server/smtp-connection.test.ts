import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { startSilentServer, startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { untrustedCert } from "../support/certs.js";
import { adminOf, type SmtpFields } from "../support/steps.js";

let h: Harness;
const sinks: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
});
afterAll(() => h.close());

async function sink(options: Parameters<typeof startSmtpSink>[0]): Promise<SmtpSink> {
  const started = await startSmtpSink(options);
  sinks.push(started);
  return started;
}

/** Creates a mailbox for a new tenant and saves SMTP settings; returns its token. */
async function mailboxWith(tenant: string, smtp: SmtpFields, harness = h): Promise<string> {
  const token = await harness.token(tenant, { email: "it-admin@example.org", name: "Ida Admin" });
  const admin = adminOf(harness, token);
  await admin.create(`people@${tenant}.example`).expect(201);
  const saved = await admin.smtp({
    username: `people@${tenant}.example`,
    password: "right-password",
    ...smtp,
  });
  expect(saved.status).toBe(200);
  expect(saved.body.mailbox.status).toBe("configured");
  return token;
}

const test = (token: string, harness = h) => adminOf(harness, token).test();

describe("the SMTP connection and the test mail", () => {
  it("activates the mailbox when a test mail over required STARTTLS arrives", async () => {
    const server = await sink({
      tls: "starttls",
      logins: { "people@starttls.example": "right-password" },
    });
    const token = await mailboxWith("starttls", {
      host: "localhost",
      port: server.port,
      secure: true,
    });

    const res = await test(token);

    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.mailbox).toMatchObject({
      status: "active",
      method: "smtp",
      smtp: {
        host: "localhost",
        port: server.port,
        secure: true,
        username: "people@starttls.example",
      },
      lastError: null,
    });
    expect(res.body.mailbox.activatedAt).not.toBeNull();
    const [mail] = await server.waitFor(1);
    expect(mail!.secure).toBe(true);
    expect(mail!.user).toBe("people@starttls.example");
    expect(mail!.parsed.from?.value).toEqual([
      { name: "Acme People", address: "people@starttls.example" },
    ]);
    expect(mail!.parsed.to).toMatchObject({ value: [{ address: "people@starttls.example" }] });
    expect(mail!.parsed.subject).toBe("Test mail: your mailbox is connected");
    expect(mail!.parsed.text).toContain("the connection works");
    const events = await h.request.get("/api/mailbox/events").auth(token, { type: "bearer" });
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      "mailbox.activated",
      "test.passed",
      "connection.saved",
      "mailbox.created",
    ]);
  });

  it("uses implicit TLS on port 465 when TLS is yes", async () => {
    const server = await sink({ tls: "implicit", port: 465 });
    const token = await mailboxWith("implicit", { host: "127.0.0.1", port: 465, secure: true });

    const res = await test(token);

    expect(res.status).toBe(200);
    expect(res.body.mailbox.status).toBe("active");
    const [mail] = await server.waitFor(1);
    expect(mail!.secure).toBe(true);
  });

  it("upgrades with STARTTLS when offered even when TLS is no", async () => {
    const server = await sink({ tls: "starttls" });
    const token = await mailboxWith("opportunistic", {
      host: "localhost",
      port: server.port,
      secure: false,
    });

    await test(token).expect(200);

    const [mail] = await server.waitFor(1);
    expect(mail!.secure).toBe(true);
  });

  it("sends without TLS when TLS is no and the server offers none", async () => {
    const server = await sink({ tls: "plain" });
    const token = await mailboxWith("plaintext", {
      host: "127.0.0.1",
      port: server.port,
      secure: false,
    });

    await test(token).expect(200);

    const [mail] = await server.waitFor(1);
    expect(mail!.secure).toBe(false);
  });

  it("refuses to go on without TLS when TLS is yes and the server offers no STARTTLS", async () => {
    const server = await sink({ tls: "plain" });
    const token = await mailboxWith("no-starttls", {
      host: "127.0.0.1",
      port: server.port,
      secure: true,
    });

    const res = await test(token);

    expect(res.status).toBe(422);
    expect(res.body.ok).toBe(false);
    expect(res.body.error.code).toBe("smtp_tls_failed");
    expect(res.body.mailbox.status).toBe("configured");
    expect(server.received).toHaveLength(0);
  });

  it("reports a refused login as smtp_auth_failed with the server's reply, leaving the status", async () => {
    const server = await sink({ logins: { "people@wrong-password.example": "another-password" } });
    const token = await mailboxWith("wrong-password", {
      host: "localhost",
      port: server.port,
      secure: true,
    });

    const res = await test(token);

    expect(res.status).toBe(422);
    expect(res.body.ok).toBe(false);
    expect(res.body.error.code).toBe("smtp_auth_failed");
    expect(res.body.error.message).toContain("refused the username or password");
    expect(res.body.error.message).toContain("535");
    expect(res.body.mailbox.status).toBe("configured");
    expect(res.body.mailbox.lastError).toMatchObject({ code: "smtp_auth_failed" });
    const events = await h.request.get("/api/mailbox/events").auth(token, { type: "bearer" });
    expect(events.body.events[0].type).toBe("test.failed");
  });

  it("refuses a certificate that no trusted authority signed, as smtp_tls_failed", async () => {
    const server = await sink({ tls: "starttls", cert: untrustedCert });
    const token = await mailboxWith("untrusted", {
      host: "localhost",
      port: server.port,
      secure: true,
    });

    const res = await test(token);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("smtp_tls_failed");
    expect(server.received).toHaveLength(0);
  });

  it("gives up on a server that never answers within seconds, as smtp_timeout", async () => {
    const silent = await startSilentServer();
    sinks.push(silent);
    const token = await mailboxWith("silent", {
      host: "127.0.0.1",
      port: silent.port,
      secure: true,
    });

    const res = await test(token);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("smtp_timeout");
    expect(res.body.mailbox.status).toBe("configured");
  });

  it("reports a port where nothing listens as smtp_connection_failed", async () => {
    const closed = await startSilentServer();
    await closed.close();
    const token = await mailboxWith("refused", {
      host: "127.0.0.1",
      port: closed.port,
      secure: true,
    });

    const res = await test(token);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("smtp_connection_failed");
    expect(res.body.error.message).toContain(`127.0.0.1:${closed.port}`);
  });

  it("reports a server that refuses the mailbox's own address as smtp_rejected", async () => {
    const server = await sink({
      rejectRecipient: (address) =>
        address.startsWith("people@") ? { code: 550, message: "5.1.1 No such user here" } : null,
    });
    const token = await mailboxWith("rejected", {
      host: "localhost",
      port: server.port,
      secure: true,
    });

    const res = await test(token);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("smtp_rejected");
    expect(res.body.error.message).toContain("No such user here");
  });

  it("never makes an active mailbox worse when a later test fails", async () => {
    const server = await sink({ logins: { "people@stays-active.example": "right-password" } });
    const token = await mailboxWith("stays-active", {
      host: "localhost",
      port: server.port,
      secure: true,
    });
    await test(token).expect(200);
    await server.close();

    const res = await test(token);

    expect(res.status).toBe(422);
    expect(res.body.mailbox.status).toBe("active");
    expect(res.body.mailbox.lastError.code).toBe("smtp_connection_failed");
  });

  it("returns an active mailbox to configured when its settings change, keeping the password", async () => {
    const server = await sink({ logins: { "people@reconfigure.example": "right-password" } });
    const token = await mailboxWith("reconfigure", {
      host: "localhost",
      port: server.port,
      secure: true,
    });
    await test(token).expect(200);

    const saved = await h.request.put("/api/mailbox/smtp").auth(token, { type: "bearer" }).send({
      username: "people@reconfigure.example",
      host: "127.0.0.1",
      port: server.port,
      secure: true,
    });

    expect(saved.status).toBe(200);
    expect(saved.body.mailbox.status).toBe("configured");
    expect(JSON.stringify(saved.body)).not.toContain("right-password");
    const retest = await test(token);
    expect(retest.status).toBe(200);
    expect(retest.body.mailbox.status).toBe("active");
  });
});

describe("pooled connections", () => {
  it("reuses one connection for a mailbox's messages and closes it when the settings change", async () => {
    const server = await sink({});
    const token = await mailboxWith("pooled", {
      host: "localhost",
      port: server.port,
      secure: true,
    });
    await test(token).expect(200);

    for (let i = 0; i < 5; i += 1) {
      await h.integration.send("pooled", {
        to: "e@pooled.example",
        subject: `pooled ${i}`,
        text: "x",
      });
    }
    const afterSends = { ...server.connections };
    await h.request
      .put("/api/mailbox/smtp")
      .auth(token, { type: "bearer" })
      .send({
        username: "people@pooled.example",
        host: "127.0.0.1",
        port: server.port,
        secure: true,
      })
      .expect(200);
    await waitFor(() => server.connections.open === 0);

    expect(server.received).toHaveLength(6);
    expect(afterSends).toEqual({ opened: 1, open: 1 });
  });

  it("closes the mailbox's connection when the mailbox is deleted", async () => {
    const server = await sink({});
    const token = await mailboxWith("pooled-delete", {
      host: "localhost",
      port: server.port,
      secure: true,
    });
    await test(token).expect(200);
    expect(server.connections.open).toBe(1);

    await h.request.delete("/api/mailbox").auth(token, { type: "bearer" }).expect(204);

    await waitFor(() => server.connections.open === 0);
    expect(server.connections.opened).toBe(1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

describe("the SMTP host guard", () => {
  let guarded: Harness;
  beforeAll(async () => {
    guarded = await startHarness({ smtpAllowPrivateHosts: false });
  });
  afterAll(() => guarded.close());

  it.each([
    ["loopback", "127.0.0.1"],
    ["a name for loopback", "localhost"],
    ["a private network", "10.1.2.3"],
    ["another private network", "192.168.0.10"],
    ["the cloud metadata service", "169.254.169.254"],
    ["IPv6 loopback", "::1"],
    ["an IPv4-mapped IPv6 loopback", "::ffff:127.0.0.1"],
  ])("refuses %s with host_not_allowed, before connecting", async (_name, host) => {
    const token = await mailboxWith(
      `guard-${host.replace(/[^a-z0-9]/gi, "")}`,
      { host, port: 587, secure: true },
      guarded,
    );

    const res = await test(token, guarded);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("host_not_allowed");
    expect(res.body.mailbox.status).toBe("configured");
  });
});
