import { randomUUID } from "node:crypto";
import type { CreationAttributes } from "sequelize";
import { perDatabase, type Context } from "../context.js";
import type { OutboxRow } from "../db/models.js";
import { placeholders, valuesOf } from "../db/statements.js";
import { Batcher } from "../db/batcher.js";
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
  row: OutboxEntry;
  message: StoredMessage;
}

/** What delivery needs to know of a row: the sealed message itself is not kept in memory. */
export type OutboxEntry = Pick<
  OutboxRow,
  "id" | "tenant" | "messageId" | "attempts" | "createdAt" | "lockedBy" | "lockedUntil"
>;

/**
 * Messages written by sends in flight together go in one INSERT; "sent" marks likewise in one
 * UPDATE. A send still answers only once its own row is written, as with a statement of its own.
 * A message is sealed when its batch is written, so that a burst of sends waiting for the
 * database does not hold each message twice, plain and sealed.
 */
interface Writes {
  inserts: Batcher<NewRow, void>;
  sent: Batcher<{ id: string; via: Route; attempts: number }, void>;
}

/** What a send holds while its INSERT waits: the row's own values, the rest are constants. */
interface NewRow {
  id: string;
  tenant: string;
  messageId: string;
  createdAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  message: StoredMessage;
}

type InsertedRow = Required<CreationAttributes<OutboxRow>>;

/** Every column, so that a row written here is the row the model would have written. */
const INSERT_COLUMNS = [
  "id",
  "tenant",
  "status",
  "via",
  "attempts",
  "nextAttemptAt",
  "lockedBy",
  "lockedUntil",
  "payload",
  "messageId",
  "lastErrorCode",
  "lastErrorMessage",
  "createdAt",
  "updatedAt",
  "sentAt",
] as const satisfies readonly (keyof InsertedRow)[];

/** Up to 500 rows, and about 2 MB of messages, in one INSERT; a larger message goes alone. */
const INSERT_LIMIT = { items: 500, maxWeight: 2_000_000, weight: messageSize };
const SENT_LIMIT = { items: 500 };

/**
 * Writes the message to the outbox (claimed by this process when asked) and answers once its
 * row is stored. Not an async function: in a burst thousands of these wait for their INSERT at
 * once, and a pending promise holds less than a suspended function does.
 */
export function enqueue(
  ctx: Context,
  tenant: string,
  message: StoredMessage,
  options: { claim: boolean },
): Promise<Claimed> {
  const id = flatUuid();
  const createdAt = new Date();
  const entry: NewRow = {
    id,
    tenant,
    messageId: `<${id}@${hostnameOf(ctx.config.publicUrl)}>`,
    createdAt,
    lockedBy: options.claim ? flatUuid() : null,
    lockedUntil: options.claim ? new Date(createdAt.getTime() + ctx.config.worker.leaseMs) : null,
    message,
  };
  return writes(ctx)
    .inserts.add(entry)
    .then(() => {
      const { messageId, lockedBy, lockedUntil } = entry;
      const row = { id, tenant, messageId, attempts: 0, createdAt, lockedBy, lockedUntil };
      return { row, message };
    });
}

/**
 * A new id as one flat string. randomUUID joins an id from a score of pieces, which V8 keeps
 * as a tree of them (about 600 bytes) until the string is read whole; lower-casing an id that
 * is lower case already reads it whole. Every waiting message holds its ids.
 */
function flatUuid(): string {
  return randomUUID().toLowerCase();
}

/**
 * Claims up to `limit` due messages for this process and returns them with their content.
 * A backlog is claimed a batch at a time, so these are plain statements; the rows are read
 * back by their ids, which the primary key finds, and only where the claim is still this one.
 */
export async function claimDue(ctx: Context, limit: number): Promise<Claimed[]> {
  if (limit <= 0) return [];
  const now = new Date();
  const free = `"status" = 'queued' AND ("lockedUntil" IS NULL OR "lockedUntil" < ?)`;

  const candidates = await ctx.statements.all<{ id: string }>(
    `SELECT "id" FROM "outbox_messages" WHERE ${free} AND "nextAttemptAt" <= ?
     ORDER BY "nextAttemptAt" LIMIT ?`,
    [now, now, limit],
  );
  if (candidates.length === 0) return [];
  const ids = candidates.map((candidate) => candidate.id);

  const claim = randomUUID();
  const until = new Date(now.getTime() + ctx.config.worker.leaseMs);
  await ctx.statements.run(
    `UPDATE "outbox_messages" SET "lockedBy" = ?, "lockedUntil" = ?, "updatedAt" = ?
     WHERE "id" IN (${placeholders(ids.length)}) AND ${free}`,
    [claim, until, now, ...ids, now],
  );

  const rows = await ctx.statements.all(
    `SELECT "id", "tenant", "messageId", "attempts", "createdAt", "lockedBy", "lockedUntil",
            "payload"
     FROM "outbox_messages"
     WHERE "id" IN (${placeholders(ids.length)}) AND "lockedBy" = ? AND "status" = 'queued'`,
    [...ids, claim],
  );
  return rows.flatMap((raw) => {
    const row = valuesOf(ctx.models.Outbox, raw) as Pick<OutboxRow, ClaimedColumn>;
    try {
      const message = ctx.box.openJson<StoredMessage>(row.payload ?? "");
      const { id, tenant, messageId, attempts, createdAt, lockedBy, lockedUntil } = row;
      return [
        { row: { id, tenant, messageId, attempts, createdAt, lockedBy, lockedUntil }, message },
      ];
    } catch (error) {
      ctx.log.error(
        { tenant: row.tenant, messageId: row.messageId, err: error },
        "outbox payload unreadable",
      );
      return [];
    }
  });
}

type ClaimedColumn = keyof OutboxEntry | "payload";

/**
 * Whether this process still holds the message. One that waited its turn behind a tenant's
 * other mail for more than half its lease takes the lease again before it is sent; if the
 * lease ran out and another process claimed it meanwhile, that process sends it, not this one.
 * A message well within its lease costs no statement.
 */
export async function holdsLease(ctx: Context, row: OutboxEntry): Promise<boolean> {
  const { leaseMs } = ctx.config.worker;
  const now = Date.now();
  if (!row.lockedBy || !row.lockedUntil) return false;
  if (row.lockedUntil.getTime() - now > leaseMs / 2) return true;

  const until = new Date(now + leaseMs);
  const renewed = await ctx.statements.run(
    `UPDATE "outbox_messages" SET "lockedUntil" = ?
     WHERE "id" = ? AND "lockedBy" = ? AND "status" = 'queued'`,
    [until, row.id, row.lockedBy],
  );
  if (renewed === 1) row.lockedUntil = until;
  return renewed === 1;
}

export function markSent(ctx: Context, row: OutboxEntry, via: Route): Promise<void> {
  return writes(ctx).sent.add({ id: row.id, via, attempts: row.attempts + 1 });
}

export async function markFailed(
  ctx: Context,
  row: OutboxEntry,
  via: Route,
  failure: DeliveryFailure,
): Promise<void> {
  await ctx.models.Outbox.update(
    {
      status: "failed",
      via,
      attempts: row.attempts + 1,
      payload: null,
      lockedBy: null,
      lockedUntil: null,
      lastErrorCode: failure.code,
      lastErrorMessage: failure.message,
    },
    { where: { id: row.id } },
  );
}

export async function reschedule(
  ctx: Context,
  row: OutboxEntry,
  via: Route,
  failure: DeliveryFailure,
  at: Date,
): Promise<void> {
  await ctx.models.Outbox.update(
    {
      via,
      attempts: row.attempts + 1,
      nextAttemptAt: at,
      lockedBy: null,
      lockedUntil: null,
      lastErrorCode: failure.code,
      lastErrorMessage: failure.message,
    },
    { where: { id: row.id } },
  );
}

const writes = perDatabase((ctx): Writes => ({
  inserts: new Batcher(async (rows) => {
    // In the order of INSERT_COLUMNS, pushed one row at a time: a burst writes ten thousand.
    const values: unknown[] = [];
    for (const { id, tenant, messageId, createdAt, lockedBy, lockedUntil, message } of rows) {
      const payload = ctx.box.sealJson(message);
      values.push(id, tenant, "queued", null, 0, createdAt, lockedBy, lockedUntil, payload);
      values.push(messageId, null, null, createdAt, createdAt, null);
    }
    const tuple = `(${placeholders(INSERT_COLUMNS.length)})`;
    await ctx.statements.run(
      `INSERT INTO "outbox_messages" (${INSERT_COLUMNS.map((c) => `"${c}"`).join(", ")})
         VALUES ${rows.map(() => tuple).join(", ")}`,
      values,
    );
    return rows.map(() => undefined);
  }, INSERT_LIMIT),
  sent: new Batcher(async (marks) => {
    const sentAt = new Date();
    // Rows retried by the worker may carry other counts than first attempts; one UPDATE each.
    for (const [key, ids] of groupBy(marks, (mark) => `${mark.via} ${mark.attempts}`)) {
      const [via, attempts] = key.split(" ") as [Route, string];
      await ctx.statements.run(
        `UPDATE "outbox_messages"
           SET "status" = 'sent', "via" = ?, "attempts" = ?, "sentAt" = ?, "updatedAt" = ?,
               "payload" = NULL, "lockedBy" = NULL, "lockedUntil" = NULL
           WHERE "id" IN (${placeholders(ids.length)})`,
        [via, Number(attempts), sentAt, sentAt, ...ids],
      );
    }
    return marks.map(() => undefined);
  }, SENT_LIMIT),
}));

function groupBy<T extends { id: string }>(items: T[], key: (item: T) => string) {
  const groups = new Map<string, string[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item.id]);
  return groups;
}

/** Roughly the characters a message adds to a statement once sealed. */
function messageSize({ message }: NewRow): number {
  const parts = [message.subject, message.text ?? "", message.html ?? ""];
  const attachments = message.attachments.map((item) => item.contentBase64.length);
  return parts.reduce((sum, part) => sum + part.length, 0) + attachments.reduce((a, b) => a + b, 0);
}

/** The host part of Message-IDs: parsing the URL once, not for every message. */
function hostnameOf(publicUrl: string): string {
  let hostname = hostnames.get(publicUrl);
  if (hostname === undefined) {
    hostname = new URL(publicUrl).hostname;
    hostnames.set(publicUrl, hostname);
  }
  return hostname;
}

const hostnames = new Map<string, string>();
