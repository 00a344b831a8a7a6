import nodemailer, { type Transporter } from "nodemailer";
import type { Config } from "../../config.js";
import type { FailureContext } from "../classify.js";
import type { MethodDriver } from "../../context.js";
import type { SecretBox } from "../../crypto/secret-box.js";
import type { MailboxValues } from "../../db/models.js";
import { resolveSmtpHost } from "./host-guard.js";

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  username: string;
}

export interface Connection {
  transporter: Transporter;
  /** Where it goes, for error messages; never holds a credential. */
  context: FailureContext;
}

/**
 * Opens a pooled SMTP connection the way admins expect the form to behave: "TLS: yes" is
 * implicit TLS on port 465 and required STARTTLS on any other port (so the common 587 with
 * "SSL yes" just works); "TLS: no" still upgrades with STARTTLS when the server offers it.
 * Certificates are always verified, and the address checked by the host guard is the one
 * connected to, with the typed name kept for SNI and the certificate check.
 */
export async function openSmtpConnection(
  settings: SmtpSettings,
  password: string,
  config: Config,
): Promise<Connection> {
  const target = await resolveSmtpHost(settings.host, config.smtpAllowPrivateHosts);
  const implicitTls = settings.secure && settings.port === 465;

  const transporter = nodemailer.createTransport({
    pool: true,
    maxConnections: 3,
    maxMessages: 100,
    host: target.address,
    servername: target.servername ?? undefined,
    port: settings.port,
    secure: implicitTls,
    requireTLS: settings.secure && !implicitTls,
    auth: { user: settings.username, pass: password },
    tls: {
      servername: target.servername ?? undefined,
      ca: config.smtpCa ?? undefined,
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
    },
    connectionTimeout: config.smtpTimeouts.connection,
    greetingTimeout: config.smtpTimeouts.greeting,
    socketTimeout: config.smtpTimeouts.socket,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: Boolean(process.env.SMTP_DEBUG),
  });

  return {
    transporter,
    context: { host: settings.host, port: settings.port, secure: settings.secure },
  };
}

/** Opens a mailbox's SMTP connection from its stored settings and sealed password. */
export function smtpDriver(config: Config, box: SecretBox): MethodDriver {
  return {
    open(mailbox) {
      const { password } = box.openJson<{ password: string }>(mailbox.credentials ?? "");
      const settings = {
        host: mailbox.smtpHost ?? "",
        port: mailbox.smtpPort ?? 0,
        secure: mailbox.smtpSecure ?? true,
        username: mailbox.smtpUsername ?? "",
      };
      return openSmtpConnection(settings, password, config);
    },
  };
}

/** Where a mailbox's SMTP connection goes, for messages about a failure to open it. */
export function smtpFailureContext(mailbox: MailboxValues): FailureContext {
  if (mailbox.method !== "smtp" || !mailbox.smtpHost) return {};
  return {
    host: mailbox.smtpHost,
    port: mailbox.smtpPort ?? undefined,
    secure: mailbox.smtpSecure ?? undefined,
  };
}
