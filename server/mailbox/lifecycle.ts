import { randomUUID } from "node:crypto";
import { UniqueConstraintError } from "sequelize";
import { PROVIDER_NAMES, type OAuthProvider, type OAuthTokens } from "../auth/grant.js";
import type { Context } from "../context.js";
import type { MailboxRow } from "../db/models.js";
import { mailboxExists, noMailbox } from "../errors.js";
import { recordEvent } from "./events.js";
import type { CreateMailboxInput, SmtpInput } from "./schemas.js";
import { parse } from "../validation.js";
import { invalidInput } from "../errors.js";
import { smtpInput } from "./schemas.js";

export async function findMailbox(ctx: Context, tenant: string): Promise<MailboxRow | null> {
  return ctx.models.Mailbox.findOne({ where: { tenant } });
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

/**
 * Saves SMTP settings. The mailbox goes back to `configured` until a test mail passes with
 * them; a password left out keeps the stored one, but only while the method stays SMTP.
 */
export async function saveSmtp(ctx: Context, tenant: string, body: unknown): Promise<MailboxRow> {
  const input: SmtpInput = parse(smtpInput, body);
  const mailbox = await requireMailbox(ctx, tenant);

  const password = input.password ?? storedSmtpPassword(ctx, mailbox);
  if (password === null) throw invalidInput("password is required", "password");

  await releaseGrant(ctx, mailbox, "smtp");

  await mailbox.update({
    status: "configured",
    method: "smtp",
    smtpHost: input.host,
    smtpPort: input.port,
    smtpSecure: input.secure,
    smtpUsername: input.username,
    credentials: ctx.box.sealJson({ password }),
    account: null,
    connectionVersion: mailbox.connectionVersion + 1,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastErrorAt: null,
  });
  ctx.connections.close(mailbox.id);

  const tls = input.secure
    ? input.port === 465
      ? "TLS"
      : "STARTTLS required"
    : "STARTTLS when offered";
  await recordEvent(
    ctx,
    tenant,
    "connection.saved",
    `SMTP ${input.host}:${input.port}, ${tls}, user ${input.username}`,
  );
  ctx.log.info({ tenant, mailbox: mailbox.id, method: "smtp" }, "smtp settings saved");
  return mailbox;
}

/**
 * Keeps the tokens of a Gmail or Microsoft consent, sealed. As with SMTP settings the mailbox
 * goes back to `configured` ("Authenticated" in the widget) until a test mail passes.
 */
export async function saveOAuth(
  ctx: Context,
  mailbox: MailboxRow,
  method: OAuthProvider,
  account: string,
  tokens: OAuthTokens,
): Promise<MailboxRow> {
  await releaseGrant(ctx, mailbox, method);

  await mailbox.update({
    status: "configured",
    method,
    smtpHost: null,
    smtpPort: null,
    smtpSecure: null,
    smtpUsername: null,
    credentials: ctx.box.sealJson(tokens),
    account,
    connectionVersion: mailbox.connectionVersion + 1,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastErrorAt: null,
  });
  ctx.connections.close(mailbox.id);

  await recordEvent(
    ctx,
    mailbox.tenant,
    "connection.saved",
    `${PROVIDER_NAMES[method]} consent given by ${account}`,
  );
  ctx.log.info({ tenant: mailbox.tenant, mailbox: mailbox.id, method }, "oauth consent saved");
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

/**
 * Lets go of what the current method holds at its provider when the mailbox is deleted or
 * switches to another method. A provider that cannot be reached does not block the admin:
 * the tokens are erased here regardless, and the history says the revocation failed.
 */
export async function releaseGrant(
  ctx: Context,
  mailbox: MailboxRow,
  nextMethod: MailboxRow["method"],
): Promise<void> {
  const method = mailbox.method;
  if (!method || method === nextMethod || !mailbox.credentials) return;
  const release = ctx.drivers[method]?.release;
  if (!release) return;

  try {
    const { revoked, detail } = await release(mailbox);
    await recordEvent(ctx, mailbox.tenant, revoked ? "grant.revoked" : "grant.erased", detail);
  } catch (error) {
    ctx.log.warn(
      { tenant: mailbox.tenant, mailbox: mailbox.id, method, err: error },
      "revoke failed",
    );
    await recordEvent(
      ctx,
      mailbox.tenant,
      "grant.revoke_failed",
      `${method} consent could not be revoked; the tokens were erased anyway`,
    );
  }
}

function storedSmtpPassword(ctx: Context, mailbox: MailboxRow): string | null {
  if (mailbox.method !== "smtp" || !mailbox.credentials) return null;
  return ctx.box.openJson<{ password: string }>(mailbox.credentials).password;
}
