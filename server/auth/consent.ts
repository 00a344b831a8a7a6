import type { Context } from "../context.js";
import type { MailboxRow } from "../db/models.js";
import { noMailbox } from "../errors.js";
import { saveOAuth } from "../mailbox/connection.js";
import { findMailbox, requireMailbox } from "../mailbox/lifecycle.js";
import {
  accountMismatch,
  invalidState,
  invalidTicket,
  methodUnavailable,
  missingRefreshToken,
  missingScope,
} from "./errors.js";
import { SEND_SCOPES, grantsSending, type Grant, type OAuthProvider } from "./grant.js";
import type { ConsentSession } from "./session.js";
import type { Tickets } from "./tickets.js";

/**
 * `POST /api/mailbox/oauth/:provider`: the single-use address that starts the consent in the
 * popup. The embed token stays in the API call; the address carries a ticket only.
 */
export async function issueConsentAddress(
  ctx: Context,
  tickets: Tickets,
  request: { tenant: string; provider: OAuthProvider; origin: string | null },
): Promise<string> {
  const { tenant, provider, origin } = request;
  if (!ctx.drivers[provider]) throw methodUnavailable(provider);
  const mailbox = await requireMailbox(ctx, tenant);

  const ticket = await tickets.issue({ tenant, mailboxId: mailbox.id, provider, origin });

  ctx.log.info({ tenant, mailbox: mailbox.id, method: provider }, "consent address issued");
  return `${ctx.config.publicUrl}/auth/${provider}/start?ticket=${ticket}`;
}

/** The popup opens the address: its ticket becomes the consent that the session carries. */
export async function redeemConsentAddress(
  ctx: Context,
  tickets: Tickets,
  provider: OAuthProvider,
  secret: unknown,
): Promise<{ consent: ConsentSession; mailbox: MailboxRow }> {
  if (!ctx.drivers[provider]) throw methodUnavailable(provider);
  const consent = await tickets.redeem(secret);
  if (!consent || consent.provider !== provider) throw invalidTicket();

  const mailbox = await findMailbox(ctx, consent.tenant);
  if (!mailbox || mailbox.id !== consent.mailboxId) throw noMailbox();

  return { consent, mailbox };
}

/**
 * The provider's answer, checked before anything is stored: the account must be the mailbox
 * address, sending must have been granted, and a refresh token must have come with it. Any
 * refusal leaves the mailbox exactly as it was.
 */
export async function acceptGrant(
  ctx: Context,
  consent: ConsentSession,
  grant: Grant,
): Promise<MailboxRow> {
  const mailbox = await findMailbox(ctx, consent.tenant);
  if (!mailbox) throw noMailbox();
  if (mailbox.id !== consent.mailboxId || grant.provider !== consent.provider) {
    throw invalidState();
  }
  const address = mailbox.address.toLowerCase();
  const account = grant.accounts.find((candidate) => candidate === address);
  if (!account) throw accountMismatch(grant.accounts[0], mailbox.address);
  if (grant.scope && !grantsSending(grant.provider, grant.scope)) {
    throw missingScope(grant.provider);
  }
  if (!grant.refreshToken) throw missingRefreshToken(grant.provider);

  return saveOAuth(ctx, mailbox, grant.provider, account, {
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    expiresAt: Date.now() + grant.expiresInSeconds * 1000,
    scope: grant.scope ?? [SEND_SCOPES[grant.provider]],
  });
}
