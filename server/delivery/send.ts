import type { Context } from "../context.js";
import { invalidInput } from "../errors.js";
import { parse } from "../validation.js";
import { deliver, type SendResult } from "./deliver.js";
import { outgoingMessage, toStoredMessage } from "./message.js";
import { enqueue } from "./outbox.js";

/**
 * The library call: records the message in the outbox, then makes the first attempt at once
 * so that the caller usually learns "sent". A message that must wait is "queued" and the
 * worker carries it on; once this returns, the message is not lost.
 */
export async function send(ctx: Context, tenant: unknown, input: unknown): Promise<SendResult> {
  if (typeof tenant !== "string" || tenant.length === 0 || tenant.length > 200) {
    throw invalidInput("tenantId must be a non-empty string", "tenantId");
  }
  const message = toStoredMessageOrThrow(parse(outgoingMessage, input));

  const claimed = await enqueue(ctx, tenant, message, { claim: true });

  return deliver(ctx, claimed);
}

function toStoredMessageOrThrow(message: Parameters<typeof toStoredMessage>[0]) {
  try {
    return toStoredMessage(message);
  } catch (error) {
    throw invalidInput((error as Error).message, "attachments");
  }
}
