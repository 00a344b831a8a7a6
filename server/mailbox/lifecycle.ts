import { randomUUID } from "node:crypto";
import { UniqueConstraintError } from "sequelize";
import type { Context } from "../context.js";
import type { MailboxRow } from "../db/models.js";
import { placeholders, rowOf } from "../db/statements.js";
import { mailboxExists, noMailbox } from "../errors.js";
import { releaseGrant } from "./connection.js";
import { recordEvent } from "./events.js";
import type { CreateMailboxInput } from "./schemas.js";

export async function findMailbox(ctx: Context, tenant: string): Promise<MailboxRow | null> {
  const [mailbox] = await findMailboxes(ctx, [tenant]);
  return mailbox ?? null;
}

/** The mailboxes of these tenants, in one statement: every API call and every send reads one. */
export async function findMailboxes(ctx: Context, tenants: string[]): Promise<MailboxRow[]> {
  const rows = await ctx.statements.all(
    `SELECT * FROM "mailboxes" WHERE "tenant" IN (${placeholders(tenants.length)})`,
    tenants,
  );
  return rows.map((row) => rowOf(ctx.models.Mailbox, row));
}

export async function requireMailbox(ctx: Context, tenant: string): Promise<MailboxRow> {
  const mailbox = await findMailbox(ctx, tenant);
  if (!mailbox) throw noMailbox();
  return mailbox;
}

export async function createMailbox(
  ctx: Context,
  tenant: string,
  input: CreateMailboxInput,
): Promise<MailboxRow> {
  const now = new Date();
  const mailbox = await ctx.models.Mailbox.create({
    id: randomUUID(),
    tenant,
    displayName: input.displayName,
    address: input.address,
    status: "created",
    method: null,
    smtpHost: null,
    smtpPort: null,
    smtpSecure: null,
    smtpUsername: null,
    credentials: null,
    account: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastErrorAt: null,
    adminEmail: null,
    adminName: null,
    activatedAt: null,
    deactivatedAt: null,
    createdAt: now,
    updatedAt: now,
  }).catch((error: unknown) => {
    // The unique tenant column settles two creates racing each other.
    if (error instanceof UniqueConstraintError) throw mailboxExists();
    throw error;
  });

  await recordEvent(ctx, tenant, "mailbox.created", `${input.displayName} <${input.address}>`);
  ctx.log.info({ tenant, mailbox: mailbox.id }, "mailbox created");
  return mailbox;
}

/** Deletes the mailbox: credentials erased, grants revoked, connection closed. */
export async function deleteMailbox(ctx: Context, tenant: string): Promise<void> {
  const mailbox = await requireMailbox(ctx, tenant);

  await releaseGrant(ctx, mailbox, null);

  await mailbox.destroy();
  ctx.connections.close(mailbox.id);

  await recordEvent(ctx, tenant, "mailbox.deleted", `${mailbox.displayName} <${mailbox.address}>`);
  ctx.log.info({ tenant, mailbox: mailbox.id }, "mailbox deleted");
}
