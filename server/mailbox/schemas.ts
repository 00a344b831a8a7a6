import { z } from "zod";
import { emailAddress, headerText } from "../validation.js";

export const createMailboxInput = z.object({
  displayName: headerText(100),
  address: emailAddress,
});

/** A host name or an IP address as an admin would type it, without scheme or port. */
const hostName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(253, "is too long for a server name")
  .regex(
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?$|^\[?[0-9a-f:.]+\]?$/i,
    "must be a server name such as smtp.example.com, without scheme or port",
  )
  .transform((value) =>
    value
      .replace(/^\[|\]$/g, "")
      .replace(/\.$/, "")
      .toLowerCase(),
  );

export const smtpInput = z.object({
  username: headerText(320),
  password: z
    .string()
    .min(1, "must not be empty")
    .max(1024, "is too long")
    .refine((value) => !/[\r\n\u0000]/.test(value), "must not contain line breaks")
    .optional(),
  host: hostName,
  port: z
    .number("must be a number")
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535"),
  secure: z.boolean("must be true or false"),
});

export type CreateMailboxInput = z.infer<typeof createMailboxInput>;
export type SmtpInput = z.infer<typeof smtpInput>;
