// The admin's words for what the API reports in codes.
import type { Mailbox, MailboxEvent, Method, Problem } from "./types.js";

export const METHOD_NAMES: Record<Method, string> = {
  smtp: "SMTP",
  google: "Gmail",
  microsoft: "Microsoft",
};

export const PROVIDER_NAMES: Record<Method, string> = {
  smtp: "your SMTP server",
  google: "Google",
  microsoft: "Microsoft",
};

export function statusLabel(mailbox: Mailbox): string {
  if (mailbox.status === "configured" && mailbox.method !== "smtp") return "Authenticated";
  return mailbox.status[0].toUpperCase() + mailbox.status.slice(1);
}

// A test mail failure names no field, yet one setting is the likely culprit: the SMTP form
// highlights it, with a short note, so that the admin knows where to look.
const SUSPECT_BY_CODE: Record<string, { field: string; message: string }> = {
  smtp_auth_failed: { field: "password", message: "The server refused this login." },
  smtp_sender_rejected: {
    field: "username",
    message: "This account may not send as the mailbox address.",
  },
  smtp_connection_failed: { field: "host", message: "No connection to this server." },
  smtp_timeout: { field: "host", message: "This server did not answer in time." },
  smtp_tls_failed: { field: "secure", message: "The secure connection failed." },
  host_not_allowed: { field: "host", message: "This server is not allowed." },
};

// The service's messages already say what to do, except where only the host page can help.
const ADVICE_BY_CODE: Record<string, string> = {
  unauthorized: "Reload the page to sign in again.",
};

const EVENT_TITLES: Record<string, string> = {
  "mailbox.created": "Mailbox created",
  "connection.saved": "Connection saved",
  "test.passed": "Test mail passed",
  "test.failed": "Test mail failed",
  "mailbox.activated": "Mailbox activated",
  "mailbox.deactivated": "Mailbox deactivated",
  "notice.sent": "Admin notified",
  "mailbox.deleted": "Mailbox deleted",
  "grant.revoked": "Consent revoked",
  "grant.erased": "Tokens erased",
  "grant.revoke_failed": "Consent could not be revoked",
};

export function fieldFor(problem: Problem): string | undefined {
  return problem.field ?? SUSPECT_BY_CODE[problem.code]?.field;
}

/** The field a failed test mail points at, as a problem of that field. */
export function suspectField(problem: Problem): Problem | null {
  const suspect = SUSPECT_BY_CODE[problem.code];
  return suspect ? { code: problem.code, ...suspect } : null;
}

/** The message as a sentence, with what to do about it where the message cannot say. */
export function describeProblem(problem: Problem): string {
  const message = sentence(problem.message);
  const advice = ADVICE_BY_CODE[problem.code];
  return advice ? `${message} ${advice}` : message;
}

const FIELD_LABELS: Record<string, string> = {
  displayName: "Display name",
  address: "Official email address",
  username: "Username",
  password: "Password",
  host: "SMTP server",
  port: "Port",
  secure: "Requires SSL/TLS",
};

/** For a screen reader, which field it is about, in the words of the field's label. */
export function announceProblem(problem: Problem): string {
  const field = problem.field;
  const label = field && FIELD_LABELS[field];
  return label ? `${label}: ${describeFieldProblem(problem, field)}` : describeProblem(problem);
}

/** Next to its field, a message need not name the field again ("host must be…"). */
export function describeFieldProblem(problem: Problem, field: string): string {
  const message = problem.message.startsWith(`${field} `)
    ? problem.message.slice(field.length + 1)
    : problem.message;
  return sentence(message);
}

export function describeEvent(event: MailboxEvent): string {
  const title = EVENT_TITLES[event.type] ?? humanize(event.type);
  return event.detail ? `${title}: ${event.detail}` : title;
}

/** An event type this widget does not know yet still reads as words. */
function humanize(type: string): string {
  const words = type.replace(/[._:-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : "Change";
}

/** Capitalized unless it starts with a name such as `smtp.example.com:587`, and with a stop. */
function sentence(text: string): string {
  const capitalized = /^[a-z]+\s/.test(text) ? text[0].toUpperCase() + text.slice(1) : text;
  return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
