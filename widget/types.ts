// The shapes of the mail service's answers, as DESIGN.md "HTTP API" defines them.

export type MailboxStatus = "created" | "configured" | "active" | "inactive";

export type Method = "smtp" | "google" | "microsoft";

export type OAuthProvider = Exclude<Method, "smtp">;

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  username: string;
}

export interface LastError {
  code: string;
  message: string;
  at: string;
}

export interface Mailbox {
  displayName: string;
  address: string;
  status: MailboxStatus;
  method: Method | null;
  smtp: SmtpSettings | null;
  account: string | null;
  lastError: LastError | null;
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
  deactivatedAt: string | null;
}

export type Methods = Record<Method, boolean>;

export interface MailboxEvent {
  type: string;
  at: string;
  /** A sentence for people, or null. */
  detail: string | null;
}

/** An error as the widget shows it: from the API, from the network, or from a form check. */
export interface Problem {
  code: string;
  message: string;
  field?: string;
}
