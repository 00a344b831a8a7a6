import { z } from "zod";
import { invalidInput } from "./errors.js";

/** Anything that reaches a mail header must not carry CR, LF or other control characters. */
const CONTROL = /[\u0000-\u001f\u007f]/;

export const headerText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL.test(value), "must not contain line breaks or control characters");

export const emailAddress = z
  .string()
  .trim()
  .max(320, "is too long for an email address")
  .refine((value) => !CONTROL.test(value), "must not contain line breaks or control characters")
  .pipe(z.email("is not a valid email address"))
  .transform((value) => value.toLowerCase());

/** Parses input against a schema, or throws `invalid_input` naming the first bad field. */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;

  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".") || undefined;
  const message = field ? `${field} ${issue.message}` : issue.message;
  throw invalidInput(message, field);
}
