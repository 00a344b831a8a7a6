import type { MailboxValues } from "../db/models.js";

/** The public shape of a mailbox (DESIGN.md). Credentials never leave through here. */
export interface MailboxJson {
  displayName: string;
  address: string;
  status: MailboxValues["status"];
  method: MailboxValues["method"];
  smtp: { host: string; port: number; secure: boolean; username: string } | null;
  account: string | null;
  lastError: { code: string; message: string; at: string } | null;
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
  deactivatedAt: string | null;
}

export function toMailboxJson(row: MailboxValues): MailboxJson {
  const smtp =
    row.method === "smtp" && row.smtpHost
      ? {
          host: row.smtpHost,
          port: row.smtpPort ?? 0,
          secure: Boolean(row.smtpSecure),
          username: row.smtpUsername ?? "",
        }
      : null;
  const lastError =
    row.lastErrorCode && row.lastErrorAt
      ? { code: row.lastErrorCode, message: row.lastErrorMessage ?? "", at: iso(row.lastErrorAt) }
      : null;

  return {
    displayName: row.displayName,
    address: row.address,
    status: row.status,
    method: row.method,
    smtp,
    account: row.account,
    lastError,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    activatedAt: row.activatedAt ? iso(row.activatedAt) : null,
    deactivatedAt: row.deactivatedAt ? iso(row.deactivatedAt) : null,
  };
}

function iso(date: Date | string): string {
  return new Date(date).toISOString();
}
