import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { serverCert } from "./certs.js";

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  user: string | undefined;
  secure: boolean;
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** How many connections clients have opened, and how many are open now. */
  connections: { opened: number; open: number };
  /** The Message-IDs received, in order of arrival (with repeats, if any). */
  messageIds(): string[];
  /** Resolves once `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SinkOptions {
  /** "starttls" offers STARTTLS (the default), "implicit" speaks TLS from the start, "plain" neither. */
  tls?: "starttls" | "implicit" | "plain";
  /** Accepted logins; any other is refused with 535. Leave out to accept any login. */
  logins?: Record<string, string>;
  /** Answers a recipient with this reply, e.g. reject "nobody@…" with 550. */
  rejectRecipient?: (address: string) => { code: number; message: string } | null;
  /** Answers MAIL FROM with this reply, e.g. 421 while "busy"; called once per message. */
  rejectSender?: () => { code: number; message: string } | null;
  /** Waits this long before accepting each message: a slow server. */
  delayMs?: number;
  /** Certificate to present: the test CA's by default. */
  cert?: { cert: string; key: string };
  port?: number;
}

/** A real SMTP server on loopback that keeps and parses what it receives. */
export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const connections = { opened: 0, open: 0 };
  const waiters: (() => void)[] = [];
  const tls = options.tls ?? "starttls";
  const cert = options.cert ?? serverCert;

  const config: SMTPServerOptions = {
    secure: tls === "implicit",
    disabledCommands: tls === "plain" ? ["STARTTLS"] : [],
    allowInsecureAuth: true,
    authOptional: !options.logins,
    key: cert.key,
    cert: cert.cert,
    logger: false,
    // A reverse lookup of every client waits on DNS for nothing on loopback.
    disableReverseLookup: true,
    // The service keeps pooled connections open; closing the sink should not wait for them.
    closeTimeout: 100,
    size: 30 * 1024 * 1024,
    onAuth(auth, _session, done) {
      const logins = options.logins;
      if (!logins || logins[auth.username ?? ""] === auth.password)
        return done(null, { user: auth.username });
      const error = Object.assign(new Error("5.7.8 Authentication credentials invalid"), {
        responseCode: 535,
      });
      done(error);
    },
    onConnect(_session, done) {
      connections.opened += 1;
      connections.open += 1;
      done();
    },
    onClose() {
      connections.open -= 1;
    },
    onMailFrom(_address, _session, done) {
      const refusal = options.rejectSender?.();
      if (!refusal) return done();
      done(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onRcptTo(address, _session, done) {
      const refusal = options.rejectRecipient?.(address.address);
      if (!refusal) return done();
      done(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        if (options.delayMs) await new Promise((wait) => setTimeout(wait, options.delayMs));
        const raw = Buffer.concat(chunks);
        received.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          },
          user: session.user as string | undefined,
          secure: session.secure,
          raw,
          parsed: await simpleParser(raw),
        });
        waiters.splice(0).forEach((wake) => wake());
        done();
      });
    },
  };
  const server = new SMTPServer(config);
  // A client that dies mid-conversation (a killed sender) resets its socket; that is what
  // some tests do on purpose, and smtp-server reports it as an error event.
  server.on("error", () => {});
  await new Promise<void>((ready) => server.listen(options.port ?? 0, "127.0.0.1", ready));
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    received,
    connections,
    messageIds: () => received.map((mail) => mail.parsed.messageId ?? ""),
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} messages, got ${received.length}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 100);
        });
      }
      return received;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A server that accepts connections and never says a word: for timeouts. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const { createServer } = await import("node:net");
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((done) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => done());
      }),
  };
}
