import type { EmailIntegration } from "../../server/integration.js";
import { queryFile } from "./database.js";

/**
 * Delivers from an outbox that other instances work on too, until none of its messages is
 * queued, and tells how many this instance delivered. A pass of the worker ends as soon as a
 * claim comes back empty (another instance was quicker), so it keeps going here: the point is
 * to have the instances contend for the same messages for as long as any is left.
 */
export async function deliverWhileQueued(
  integration: EmailIntegration,
  database: string,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let delivered = 0;
  for (;;) {
    delivered += await integration.flush();
    const [row] = await queryFile<{ waiting: number }>(
      database,
      "SELECT COUNT(*) AS waiting FROM outbox_messages WHERE status = 'queued'",
    );
    if (row!.waiting === 0) return delivered;
    if (Date.now() > deadline) throw new Error(`${row!.waiting} messages still queued`);
    await new Promise((wait) => setTimeout(wait, 5));
  }
}
