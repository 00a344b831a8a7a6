import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Transport } from "nodemailer";
import type MailMessage from "nodemailer/lib/mailer/mail-message.js";

export interface EmlInfo {
  messageId: string;
  envelope: { from: string | false; to: string[] };
  file: string;
}

/**
 * A Nodemailer transport that writes each message as an `.eml` file: the default mailbox when
 * no DEFAULT_SMTP_URL is set, so that a fresh install sends somewhere a person can look.
 */
export function emlFileTransport(folder: string): Transport<EmlInfo> {
  return {
    name: "eml-files",
    version: "1",
    send(mail: MailMessage<EmlInfo>, done: (error: Error | null, info: EmlInfo) => void) {
      const message = mail.message;
      const envelope = message.getEnvelope();
      const messageId = message.messageId();
      const file = join(
        folder,
        `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.eml`,
      );

      message.build(async (error, raw) => {
        if (error) return done(error, undefined as never);
        try {
          await mkdir(folder, { recursive: true });
          await writeFile(file, raw, { mode: 0o600 });
          done(null, { messageId, envelope, file });
        } catch (writeError) {
          done(writeError as Error, undefined as never);
        }
      });
    },
  };
}
