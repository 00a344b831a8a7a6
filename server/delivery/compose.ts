import type Mail from "nodemailer/lib/mailer/index.js";
import type { Config } from "../config.js";
import type { MailboxValues } from "../db/models.js";
import type { StoredMessage } from "./message.js";

export type Route = "mailbox" | "default";

/**
 * The route of a tenant's mail follows the states table of DESIGN.md: only an active mailbox
 * sends; every other state sends through the default mailbox.
 */
export function routeFor(mailbox: MailboxValues | null, message: StoredMessage): Route {
  if (message.viaDefaultOnly) return "default";
  return mailbox?.status === "active" ? "mailbox" : "default";
}

/**
 * Builds the Nodemailer message. From is never the caller's: it is the mailbox (its OAuth
 * account when it has one) or the platform's default sender. Through the default mailbox, the
 * tenant's address becomes Reply-To so that replies still reach a monitored inbox; a caller's
 * own replyTo wins over it.
 */
export function compose(
  config: Config,
  mailbox: MailboxValues | null,
  route: Route,
  message: StoredMessage,
  messageId: string,
): Mail.Options {
  const from =
    route === "mailbox" && mailbox
      ? { name: mailbox.displayName, address: mailbox.account ?? mailbox.address }
      : config.defaultFrom;

  const mailboxReplyTo =
    route === "default" && mailbox && !message.viaDefaultOnly
      ? { name: mailbox.displayName, address: mailbox.address }
      : undefined;

  return {
    from,
    to: message.to,
    cc: message.cc.length ? message.cc : undefined,
    bcc: message.bcc.length ? message.bcc : undefined,
    replyTo: message.replyTo ?? mailboxReplyTo,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId,
    attachments: message.attachments.map((item) => ({
      filename: item.filename,
      content: Buffer.from(item.contentBase64, "base64"),
      contentType: item.contentType,
    })),
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
