import type { OAuthTokens } from "../auth/grant.js";
import { PROVIDER_NAMES, type OAuthProvider } from "../auth/grant.js";
import type { Context } from "../context.js";
import type { MailboxRow } from "../db/models.js";
import { invalidInput } from "../errors.js";
import { parse } from "../validation.js";
import { recordEvent } from "./events.js";
import { requireMailbox } from "./lifecycle.js";
import { smtpInput } from "./schemas.js";

/**
 * Saves SMTP settings. A password left out keeps the stored one, but only while the method
 * stays SMTP.
 */
export async function saveSmtp(ctx: Context, tenant: string, body: unknown): Promise<MailboxRow> {
  const input = parse(smtpInput, body);
  const mailbox = await requireMailbox(ctx, tenant);

  const password = input.password ?? storedSmtpPassword(ctx, mailbox);
  if (password === null) throw invalidInput("password is required", "password");

  const tls = input.secure
    ? input.port === 465
      ? "TLS"
      : "STARTTLS required"
    : "STARTTLS when offered";
  await changeConnection(ctx, mailbox, {
    method: "smtp",
    settings: {
      smtpHost: input.host,
      smtpPort: input.port,
      smtpSecure: input.secure,
      smtpUsername: input.username,
    },
    credentials: { password },
    account: null,
    history: `SMTP ${input.host}:${input.port}, ${tls}, user ${input.username}`,
  });
  return mailbox;
}

/** Keeps the tokens of a Gmail or Microsoft consent, sealed. */
export async function saveOAuth(
  ctx: Context,
  mailbox: MailboxRow,
  method: OAuthProvider,
  account: string,
  tokens: OAuthTokens,
): Promise<MailboxRow> {
  await changeConnection(ctx, mailbox, {
    method,
    settings: { smtpHost: null, smtpPort: null, smtpSecure: null, smtpUsername: null },
    credentials: tokens,
    account,
    history: `${PROVIDER_NAMES[method]} consent given by ${account}`,
  });
  return mailbox;
}

interface ConnectionChange {
  method: NonNullable<MailboxRow["method"]>;
  settings: Pick<MailboxRow, "smtpHost" | "smtpPort" | "smtpSecure" | "smtpUsername">;
  credentials: unknown;
  account: string | null;
  history: string;
}

/**
 * Any new connection puts the mailbox back to `configured` ("Authenticated" in the widget for
 * OAuth) until a test mail passes with it: the previous method's grant is let go, the old
 * error no longer applies, and the pooled connection of the old settings is closed.
 */
async function changeConnection(
  ctx: Context,
  mailbox: MailboxRow,
  change: ConnectionChange,
): Promise<void> {
  await releaseGrant(ctx, mailbox, change.method);

  await mailbox.update({
    status: "configured",
    method: change.method,
    ...change.settings,
    credentials: ctx.box.sealJson(change.credentials),
    account: change.account,
    connectionVersion: mailbox.connectionVersion + 1,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastErrorAt: null,
  });
  ctx.connections.close(mailbox.id);

  await recordEvent(ctx, mailbox.tenant, "connection.saved", change.history);
  ctx.log.info(
    { tenant: mailbox.tenant, mailbox: mailbox.id, method: change.method },
    "connection saved",
  );
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
