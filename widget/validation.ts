// Checks made before a call, so that the obvious mistakes are pointed at the same way the
// service points at them: a code, a message and the field.
import type { SmtpInput } from "./api-client.js";
import type { Problem } from "./types.js";
import type { SmtpDraft } from "./views/smtp-form.js";

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invalid(field: string, message: string): Problem {
  return { code: "invalid_input", message, field };
}

export function checkMailbox(displayName: string, address: string): Problem | null {
  if (!displayName) return invalid("displayName", "Enter a display name.");
  if (!address) return invalid("address", "Enter the official email address.");
  if (!ADDRESS.test(address)) {
    return invalid("address", "Enter an email address like hr@example.com.");
  }
  return null;
}

/** A draft either becomes the body of `PUT /api/mailbox/smtp` or says what is missing. */
export function checkSmtp(draft: SmtpDraft, passwordSaved: boolean): SmtpInput | Problem {
  const username = draft.username.trim();
  const host = draft.host.trim();
  const port = Number(draft.port.trim());

  if (!username) return invalid("username", "Enter the username, usually the email address.");
  if (!draft.password && !passwordSaved) return invalid("password", "Enter the password.");
  if (!host) return invalid("host", "Enter the SMTP server, e.g. smtp.example.com.");
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return invalid("port", "Enter a port number between 1 and 65535, usually 587 or 465.");
  }

  const input: SmtpInput = { username, host, port, secure: draft.secure };
  if (draft.password) input.password = draft.password;
  return input;
}

export function isProblem(value: SmtpInput | Problem): value is Problem {
  return "code" in value;
}
