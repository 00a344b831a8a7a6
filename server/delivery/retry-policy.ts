import type { RetryPolicy } from "../config.js";
import type { DeliveryFailure } from "./classify.js";

/**
 * When to try a transiently failed message again: exponential backoff with full jitter so
 * that many messages failing together do not return together, never sooner than the server
 * asked with Retry-After. Null means the attempts are used up.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attemptsSoFar: number,
  failure: DeliveryFailure,
  now = Date.now(),
): Date | null {
  if (attemptsSoFar + 1 >= policy.maxAttempts) return null;

  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attemptsSoFar);
  const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
  const delay = Math.max(jittered, failure.retryAfterMs ?? 0);
  return new Date(now + delay);
}

/** Whether an active mailbox has been failing transiently for longer than it may. */
export function mailboxOutlastedWindow(
  policy: RetryPolicy,
  firstAttemptAt: Date,
  now = Date.now(),
): boolean {
  return now - firstAttemptAt.getTime() >= policy.mailboxWindowMs;
}
