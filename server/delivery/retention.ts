import { Op } from "sequelize";
import type { Context } from "../context.js";

/**
 * Forgets outbox rows of messages that were sent or failed longer ago than the retention
 * period. Their bodies are already gone (erased when they finished); what is left is the
 * record of who was written to and when, which is not kept forever either.
 */
export async function forgetFinished(ctx: Context, now = Date.now()): Promise<number> {
  const before = new Date(now - ctx.config.outboxRetentionDays * 24 * 3600_000);
  const forgotten = await ctx.models.Outbox.destroy({
    where: { status: ["sent", "failed"], updatedAt: { [Op.lt]: before } },
  });
  if (forgotten > 0) ctx.log.info({ forgotten }, "finished outbox messages forgotten");
  return forgotten;
}
