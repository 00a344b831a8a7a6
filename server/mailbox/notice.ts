import type { Config } from "../config.js";
import type { MailboxValues } from "../db/models.js";
import type { DeliveryFailure } from "../delivery/classify.js";
import type { StoredMessage } from "../delivery/message.js";

/**
 * The mail that tells the admin a mailbox was turned off: what failed, what happens to mail
 * meanwhile, and what to do. It goes to the admin who activated the mailbox and to the
 * mailbox itself, through the default mailbox, since the tenant's own is what just failed.
 */
export function deactivationNotice(
  config: Config,
  mailbox: MailboxValues,
  failure: DeliveryFailure,
): StoredMessage {
  const recipients = [...new Set([mailbox.adminEmail, mailbox.address].filter(isText))];
  const greeting = mailbox.adminName ? `Hello ${mailbox.adminName},` : "Hello,";
  const text = [
    greeting,
    "",
    `Mail of your organisation could not be sent through ${mailbox.displayName} <${mailbox.address}>, so this mailbox has been turned off.`,
    "",
    `What failed: ${failure.message}`,
    failure.response ? `The server said: ${failure.response}` : null,
    "",
    `Nothing is lost: your mail now leaves from ${config.defaultFrom} with replies still going to ${mailbox.address}.`,
    "",
    "What to do: open Setup > Integrations > Email, correct or reconnect the mailbox, and send a test mail. Once the test passes, mail leaves from your own address again.",
  ]
    .filter((line) => line !== null)
    .join("\n");

  return {
    to: recipients,
    cc: [],
    bcc: [],
    subject: `Action needed: mail is no longer sent from ${mailbox.address}`,
    text,
    attachments: [],
    viaDefaultOnly: true,
  };
}

function isText(value: string | null): value is string {
  return typeof value === "string" && value.length > 0;
}
