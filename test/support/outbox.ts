import type { EmailIntegration } from "../../server/integration.js";
import { queryFile } from "./database.js";

/** Runs the outbox worker until no message is waiting, as the background worker would. */
export async function drainOutbox(
  integration: EmailIntegration,
  databaseFile: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await integration.flush();
    const [row] = await queryFile<{ waiting: number }>(
      databaseFile,
      "SELECT COUNT(*) AS waiting FROM outbox_messages WHERE status = 'queued'",
    );
    if (row!.waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`${row!.waiting} messages still queued`);
    await new Promise((wait) => setTimeout(wait, 25));
  }
}

/** Counts what arrived against what was sent, by Message-ID. */
export function tally(sentIds: string[], ...arrivedLists: string[][]) {
  const arrived = arrivedLists.flat();
  const unique = new Set(arrived);
  return {
    sent: sentIds.length,
    arrived: sentIds.filter((id) => unique.has(id)).length,
    lost: sentIds.filter((id) => !unique.has(id)).length,
    duplicates: arrived.length - unique.size,
  };
}
