import type { Context } from "../context.js";
import type { MailboxValues } from "../db/models.js";
import type { DeliveryFailure } from "../delivery/classify.js";
import { enqueue } from "../delivery/outbox.js";
import { recordEvent } from "./events.js";
import { deactivationNotice } from "./notice.js";

/**
 * Turns an active mailbox inactive after a failure that shows its settings no longer work.
 * The update only applies to the same active connection, so many sends failing together
 * deactivate it once and send one notice, and a failure of an old connection cannot undo a
 * newer one that the admin has just set up.
 */
export async function deactivateMailbox(
  ctx: Context,
  mailbox: MailboxValues,
  failure: DeliveryFailure,
): Promise<boolean> {
  const now = new Date();
  const [changed] = await ctx.models.Mailbox.update(
    {
      status: "inactive",
      deactivatedAt: now,
      lastErrorCode: failure.code,
      lastErrorMessage: failure.message,
      lastErrorAt: now,
    },
    { where: { id: mailbox.id, status: "active", connectionVersion: mailbox.connectionVersion } },
  );
  if (changed === 0) return false;

  ctx.connections.close(mailbox.id);
  await recordEvent(ctx, mailbox.tenant, "mailbox.deactivated", failure.message);
  ctx.log.warn(
    { tenant: mailbox.tenant, mailbox: mailbox.id, method: mailbox.method, code: failure.code },
    "mailbox deactivated",
  );

  const notice = deactivationNotice(ctx.config, mailbox, failure);
  await enqueue(ctx, mailbox.tenant, notice, { claim: false });
  await recordEvent(ctx, mailbox.tenant, "notice.sent", `told ${notice.to.join(", ")} by mail`);
  return true;
}
