import type { Context } from "../context.js";

/**
 * The mailbox history an admin sees. Types are stable words; `detail` is a sentence for
 * people and never holds a credential.
 */
export type EventType =
  | "mailbox.created"
  | "connection.saved"
  | "test.passed"
  | "test.failed"
  | "mailbox.activated"
  | "mailbox.deactivated"
  | "notice.sent"
  | "mailbox.deleted"
  | "grant.revoked"
  | "grant.erased"
  | "grant.revoke_failed";

export interface EventJson {
  type: EventType;
  at: string;
  detail: string | null;
}

export async function recordEvent(
  ctx: Pick<Context, "models">,
  tenant: string,
  type: EventType,
  detail: string | null = null,
): Promise<void> {
  await ctx.models.MailboxEvent.create({ tenant, type, detail, at: new Date() });
}

export async function listEvents(
  ctx: Pick<Context, "models">,
  tenant: string,
  limit = 100,
): Promise<EventJson[]> {
  const rows = await ctx.models.MailboxEvent.findAll({
    where: { tenant },
    order: [
      ["at", "DESC"],
      ["id", "DESC"],
    ],
    limit,
  });
  return rows.map((row) => ({
    type: row.type as EventType,
    at: new Date(row.at).toISOString(),
    detail: row.detail,
  }));
}
