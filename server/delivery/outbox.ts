import { randomUUID } from "node:crypto";
import { Op } from "sequelize";
import type { Context } from "../context.js";
import type { OutboxRow } from "../db/models.js";
import type { DeliveryFailure } from "./classify.js";
import type { Route } from "./compose.js";
import type { StoredMessage } from "./message.js";

/**
 * The durable outbox. A message is written before its first attempt and stays until it is
 * sent or has failed for good, so a process that dies mid-send leaves it to be claimed again
 * (delivery is at least once). Claims are leases: a conditional update that only one process
 * can win, which holds for several processes on one SQLite file and for PostgreSQL alike.
 */
export interface Claimed {
  row: OutboxRow;
  message: StoredMessage;
}

export async function enqueue(
  ctx: Context,
  tenant: string,
  message: StoredMessage,
  options: { claim: boolean },
): Promise<Claimed> {
  const id = randomUUID();
  const now = new Date();
  const row = await ctx.models.Outbox.create({
    id,
    tenant,
    status: "queued",
    via: null,
    nextAttemptAt: now,
    lockedBy: options.claim ? randomUUID() : null,
    lockedUntil: options.claim ? new Date(now.getTime() + ctx.config.worker.leaseMs) : null,
    payload: ctx.box.sealJson(message),
    messageId: `<${id}@${new URL(ctx.config.publicUrl).hostname}>`,
    lastErrorCode: null,
    lastErrorMessage: null,
    sentAt: null,
    createdAt: now,
    updatedAt: now,
  });
  return { row, message };
}

/** Claims up to `limit` due messages for this process and returns them with their content. */
export async function claimDue(ctx: Context, limit: number): Promise<Claimed[]> {
  const { Outbox } = ctx.models;
  const now = new Date();
  const free = { [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: now } }] };

  const candidates = await Outbox.findAll({
    attributes: ["id"],
    where: { status: "queued", nextAttemptAt: { [Op.lte]: now }, ...free },
    order: [["nextAttemptAt", "ASC"]],
    limit,
  });
  if (candidates.length === 0) return [];

  const claim = randomUUID();
  await Outbox.update(
    { lockedBy: claim, lockedUntil: new Date(now.getTime() + ctx.config.worker.leaseMs) },
    { where: { id: candidates.map((row) => row.id), status: "queued", ...free } },
  );

  const rows = await Outbox.findAll({ where: { lockedBy: claim, status: "queued" } });
  return rows.flatMap((row) => {
    try {
      return [{ row, message: ctx.box.openJson<StoredMessage>(row.payload ?? "") }];
    } catch (error) {
      ctx.log.error(
        { tenant: row.tenant, messageId: row.messageId, err: error },
        "outbox payload unreadable",
      );
      return [];
    }
  });
}

export async function markSent(ctx: Context, row: OutboxRow, via: Route): Promise<void> {
  await row.update({
    status: "sent",
    via,
    attempts: row.attempts + 1,
    sentAt: new Date(),
    payload: null,
    lockedBy: null,
    lockedUntil: null,
  });
}

export async function markFailed(
  ctx: Context,
  row: OutboxRow,
  via: Route,
  failure: DeliveryFailure,
): Promise<void> {
  await row.update({
    status: "failed",
    via,
    attempts: row.attempts + 1,
    payload: null,
    lockedBy: null,
    lockedUntil: null,
    lastErrorCode: failure.code,
    lastErrorMessage: failure.message,
  });
}

export async function reschedule(
  ctx: Context,
  row: OutboxRow,
  via: Route,
  failure: DeliveryFailure,
  at: Date,
): Promise<void> {
  await row.update({
    via,
    attempts: row.attempts + 1,
    nextAttemptAt: at,
    lockedBy: null,
    lockedUntil: null,
    lastErrorCode: failure.code,
    lastErrorMessage: failure.message,
  });
}
