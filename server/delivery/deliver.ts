import { perDatabase, type Context } from "../context.js";
import type { MailboxValues } from "../db/models.js";
import { deactivateMailbox } from "../mailbox/deactivate.js";
import { readMailbox } from "../mailbox/lifecycle.js";
import { classify, type DeliveryFailure } from "./classify.js";
import { compose, routeFor, type Route } from "./compose.js";
import { KeyedGate } from "./gate.js";
import type { StoredMessage } from "./message.js";
import {
  holdsLease,
  markFailed,
  markSent,
  reschedule,
  type Claimed,
  type OutboxEntry,
} from "./outbox.js";
import { smtpFailureContext } from "./transports/smtp.js";
import { mailboxOutlastedWindow, nextAttemptAt } from "./retry-policy.js";

/** Enough deliveries under way for one tenant to keep its pooled connections (3 to 5) busy. */
const DELIVERIES_PER_TENANT = 10;

const turnsOf = perDatabase(() => new KeyedGate(DELIVERIES_PER_TENANT));

export interface SendResult {
  id: string;
  status: "sent" | "queued" | "failed";
  via: Route;
  messageId?: string;
}

/**
 * Delivers one claimed message and records the outcome. A mailbox that shows itself broken
 * (or keeps failing past its retry window) is deactivated and the message goes on at once
 * through the default mailbox, so nothing waits on an admin to notice.
 *
 * A tenant has a few deliveries under way at once, enough to keep its pooled connections
 * busy; the others wait their turn here, holding only the stored message, rather than in
 * Nodemailer's queue with a compiled MIME tree each, and look up the mailbox when their turn
 * comes, so they go out by its state at that moment.
 */
export function deliver(ctx: Context, claimed: Claimed): Promise<SendResult> {
  return turnsOf(ctx).through(claimed.row.tenant, () => deliverNow(ctx, claimed));
}

async function deliverNow(ctx: Context, { row, message }: Claimed): Promise<SendResult> {
  const mailbox = await readMailbox(ctx, row.tenant);
  let route = routeFor(mailbox, message);
  if (!(await holdsLease(ctx, row))) {
    return { id: row.id, status: "queued", via: route, messageId: row.messageId };
  }
  let failure = await attempt(ctx, mailbox, route, row, message);

  if (failure && route === "mailbox" && mailbox && givesUpOnMailbox(ctx, failure, row)) {
    await deactivateMailbox(ctx, mailbox, failure);
    route = "default";
    failure = await attempt(ctx, mailbox, route, row, message);
  }

  if (!failure) {
    await markSent(ctx, row, route);
    return { id: row.id, status: "sent", via: route, messageId: row.messageId };
  }

  const retryAt =
    failure.kind === "permanent" ? null : nextAttemptAt(ctx.config.retry, row.attempts, failure);
  const fields = { tenant: row.tenant, messageId: row.messageId, code: failure.code, via: route };
  if (retryAt) {
    await reschedule(ctx, row, route, failure, retryAt);
    ctx.log.warn({ ...fields, retryAt }, "delivery deferred");
    return { id: row.id, status: "queued", via: route, messageId: row.messageId };
  }

  await markFailed(ctx, row, route, failure);
  ctx.log.error(fields, "delivery failed");
  return { id: row.id, status: "failed", via: route, messageId: row.messageId };
}

async function attempt(
  ctx: Context,
  mailbox: MailboxValues | null,
  route: Route,
  row: OutboxEntry,
  message: StoredMessage,
): Promise<DeliveryFailure | null> {
  const mail = compose(ctx.config, mailbox, route, message, row.messageId);
  let context =
    route === "mailbox" && mailbox ? smtpFailureContext(mailbox) : ctx.defaultConnection.context;
  try {
    const connection =
      route === "mailbox" && mailbox ? await ctx.connections.get(mailbox) : ctx.defaultConnection;
    context = connection.context;
    await connection.transporter.sendMail(mail);
    return null;
  } catch (error) {
    return classify(error, context);
  }
}

function givesUpOnMailbox(ctx: Context, failure: DeliveryFailure, row: OutboxEntry): boolean {
  if (failure.kind === "broken") return true;
  if (failure.kind !== "transient") return false;
  const attemptsLeft = row.attempts + 1 < ctx.config.retry.maxAttempts;
  return !attemptsLeft || mailboxOutlastedWindow(ctx.config.retry, new Date(row.createdAt));
}
