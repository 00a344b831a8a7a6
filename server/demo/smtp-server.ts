import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { demoInboxFolder } from "./inbox.js";

/**
 * A local SMTP server for trying the SMTP method without an outside one: it listens on
 * loopback only, accepts any login (over plain text, as there is no certificate), and keeps
 * each message as a file that the demo page lists.
 */
export async function startDemoSmtpServer(config: Config, log: Logger): Promise<SMTPServer> {
  const folder = demoInboxFolder(config);
  await mkdir(folder, { recursive: true });

  const server = new SMTPServer({
    name: "demo-smtp.localhost",
    banner: "demo SMTP server: accepts any login, keeps every message",
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    size: 25 * 1024 * 1024,
    logger: false,
    // A reverse lookup of every client waits on DNS for nothing on loopback.
    disableReverseLookup: true,
    onAuth(auth, _session, done) {
      done(null, { user: auth.username });
    },
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.eml`;
        writeFile(join(folder, name), Buffer.concat(chunks), { mode: 0o600 }).then(
          () => done(),
          (error: Error) => done(error),
        );
      });
    },
  });

  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(config.demo.smtpPort, "127.0.0.1", () => {
      server.off("error", fail);
      ready();
    });
  });
  // Without a listener, a client resetting its connection would end the whole process.
  server.on("error", (error: Error) =>
    log.warn({ err: error }, "demo SMTP server connection error"),
  );
  log.info({ port: config.demo.smtpPort }, "demo SMTP server listening on 127.0.0.1");
  return server;
}
