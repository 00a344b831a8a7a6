import { randomUUID } from "node:crypto";
import { UniqueConstraintError } from "sequelize";
import { perDatabase, type Context } from "../context.js";
import { Batcher } from "../db/batcher.js";
import type { MailboxRow, MailboxValues } from "../db/models.js";
import { placeholders, rowOf, valuesOf } from "../db/statements.js";
import { mailboxExists, noMailbox } from "../errors.js";
import { releaseGrant } from "./connection.js";
import { recordEvent } from "./events.js";
import type { CreateMailboxInput } from "./schemas.js";

/** Tenants named in one statement at most. */
const TENANTS_PER_READ = 200;

/** The mailbox reads of one database, shared by the reads asked together. */
const mailboxReads = perDatabase(
  (ctx) =>
    new Batcher<string, MailboxValues | null>(
      async (tenants) => {
        const wanted = [...new Set(tenants)];
        const rows = await ctx.statements.all<{ tenant: string }>(
          `SELECT * FROM "mailboxes" WHERE "tenant" IN (${placeholders(wanted.length)})`,
          wanted,
        );
        const byTenant = new Map(
          rows.map((row) => [
            row.tenant,
            Object.freeze(valuesOf(ctx.models.Mailbox, row)) as MailboxValues,
          ]),
        );
        return tenants.map((tenant) => byTenant.get(tenant) ?? null);
      },
      { items: TENANTS_PER_READ },
    ),
);

/**
 * The tenant's mailbox as it is now, as values that every caller of one read shares and none
 * may change. Every API call and every delivery reads one, so reads asked while another is at
 * the database share the next statement; each still starts after it was asked, so none sees
 * an older state than a read of its own would.
 */
export function readMailbox(ctx: Context, tenant: string): Promise<MailboxValues | null> {
  return mailboxReads(ctx).add(tenant);
}

/** The tenant's mailbox as an instance of the caller's own, to change and save. */
export async function findMailbox(ctx: Context, tenant: string): Promise<MailboxRow | null> {
  const values = await readMailbox(ctx, tenant);
  return values && rowOf(ctx.models.Mailbox, values);
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
