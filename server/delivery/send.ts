import { perDatabase, type Context } from "../context.js";
import { invalidInput } from "../errors.js";
import { readMailbox } from "../mailbox/lifecycle.js";
import { parse } from "../validation.js";
import { routeFor } from "./compose.js";
import { deliver, type SendResult } from "./deliver.js";
import { outgoingMessage, toStoredMessage, type StoredMessage } from "./message.js";
import { enqueue } from "./outbox.js";

/**
 * Sends of one tenant that this process carries itself at once, from their outbox write to
 * the end of their delivery: enough to keep the tenant's turns (ten deliveries) busy. Each
 * holds its message and its caller's promise in memory; a burst beyond them waits in the
 * outbox instead, for the worker of whichever process comes first.
 */
export const HELD_PER_TENANT = 20;

const heldOf = perDatabase(() => new Map<string, number>());

/**
 * The library call: records the message in the outbox, then makes the first attempt at once
 * so that the caller usually learns "sent". A message that must wait is "queued" and the
 * worker carries it on; once this returns, the message is not lost. Bad input rejects, as
 * every other failure does; it never throws in the caller's hands.
 */
export function send(ctx: Context, tenant: unknown, input: unknown): Promise<SendResult> {
  let message: StoredMessage;
  try {
    if (typeof tenant !== "string" || tenant.length === 0 || tenant.length > 200) {
      throw invalidInput("tenantId must be a non-empty string", "tenantId");
    }
    message = toStoredMessageOrThrow(parse(outgoingMessage, input));
  } catch (error) {
    return Promise.reject(error);
  }

  const held = heldOf(ctx);
  const count = held.get(tenant) ?? 0;
  if (count >= HELD_PER_TENANT) return leaveToWorker(ctx, tenant, message);
  held.set(tenant, count + 1);
  return sendHeld(ctx, tenant, message).finally(() => {
    const left = held.get(tenant)! - 1;
    if (left === 0) held.delete(tenant);
    else held.set(tenant, left);
  });
}

async function sendHeld(ctx: Context, tenant: string, message: StoredMessage) {
  const claimed = await enqueue(ctx, tenant, message, { claim: true });
  return deliver(ctx, claimed);
}

/**
 * Written unclaimed, so the worker takes it at its next pass; the answer says how it will go.
 * Plain promises, not an async function, here and in send: a burst has thousands waiting.
 */
function leaveToWorker(ctx: Context, tenant: string, message: StoredMessage): Promise<SendResult> {
  return enqueue(ctx, tenant, message, { claim: false }).then(({ row }) =>
    readMailbox(ctx, tenant).then((mailbox) => ({
      id: row.id,
      status: "queued" as const,
      via: routeFor(mailbox, message),
      messageId: row.messageId,
    })),
  );
}

function toStoredMessageOrThrow(message: Parameters<typeof toStoredMessage>[0]) {
  try {
    return toStoredMessage(message);
  } catch (error) {
    throw invalidInput((error as Error).message, "attachments");
  }
}
