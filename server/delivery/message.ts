import { z } from "zod";
import { emailAddress, headerText } from "../validation.js";

const MAX_BODY_CHARS = 5_000_000;
const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

const recipients = z.union([emailAddress, z.array(emailAddress).min(1).max(100)]);

/**
 * Attachments carry their content. A path or URL is refused: the mail would otherwise read
 * files of this server or fetch addresses on the caller's behalf.
 */
const attachment = z
  .looseObject({})
  .refine((item) => !("path" in item) && !("href" in item), {
    message: "must carry its content: paths and URLs are not read",
    path: ["path"],
  })
  .pipe(
    z
      .object({
        filename: headerText(255),
        content: z.union([z.string(), z.instanceof(Buffer), z.instanceof(Uint8Array)]),
        contentType: headerText(255).optional(),
        encoding: z.enum(["base64", "utf8", "utf-8"]).optional(),
      })
      .strict(),
  );

export const outgoingMessage = z
  .object({
    to: recipients,
    cc: recipients.optional(),
    bcc: recipients.optional(),
    subject: headerText(998),
    text: z.string().max(MAX_BODY_CHARS).optional(),
    html: z.string().max(MAX_BODY_CHARS).optional(),
    attachments: z.array(attachment).max(20).optional(),
    replyTo: emailAddress.optional(),
  })
  .refine((message) => message.text !== undefined || message.html !== undefined, {
    message: "needs text or html",
    path: ["text"],
  });

export type OutgoingMessage = z.infer<typeof outgoingMessage>;

/** What the outbox keeps of a message until it is delivered: plain JSON, sealed at rest. */
export interface StoredMessage {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text?: string;
  html?: string;
  attachments: { filename: string; contentBase64: string; contentType?: string }[];
  replyTo?: string;
  /** Platform notices (deactivation) always leave through the default mailbox. */
  viaDefaultOnly?: boolean;
}

export function toStoredMessage(message: OutgoingMessage): StoredMessage {
  const list = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];

  const attachments = (message.attachments ?? []).map((item) => {
    const bytes =
      typeof item.content === "string"
        ? Buffer.from(item.content, item.encoding === "base64" ? "base64" : "utf8")
        : Buffer.from(item.content);
    if (bytes.length > MAX_ATTACHMENT_BYTES) {
      throw new RangeError(`attachment ${item.filename} is larger than 20 MB`);
    }
    return {
      filename: item.filename,
      contentBase64: bytes.toString("base64"),
      contentType: item.contentType,
    };
  });

  return {
    to: list(message.to),
    cc: list(message.cc),
    bcc: list(message.bcc),
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments,
    replyTo: message.replyTo,
  };
}
