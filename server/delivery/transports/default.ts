import { join } from "node:path";
import nodemailer from "nodemailer";
import type { Config } from "../../config.js";
import type { Connection } from "./smtp.js";
import { emlFileTransport } from "./eml-files.js";

/**
 * The platform's own mailbox, used whenever a tenant has no active one. It is the operator's
 * server, so the host guard does not apply; certificates are verified all the same.
 */
export function openDefaultConnection(config: Config): Connection {
  if (!config.defaultSmtpUrl) {
    const folder = join(config.dataDir, "mail");
    return { transporter: nodemailer.createTransport(emlFileTransport(folder)), context: {} };
  }

  const url = new URL(config.defaultSmtpUrl);
  const transporter = nodemailer.createTransport({
    url: config.defaultSmtpUrl,
    pool: true,
    maxConnections: 5,
    tls: { ca: config.smtpCa ?? undefined, minVersion: "TLSv1.2" },
    connectionTimeout: config.smtpTimeouts.connection,
    greetingTimeout: config.smtpTimeouts.greeting,
    socketTimeout: config.smtpTimeouts.socket,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return { transporter, context: { host: url.hostname, port: Number(url.port) || undefined } };
}
