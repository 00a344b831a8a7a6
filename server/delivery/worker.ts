import type { Context } from "../context.js";
import { deliver } from "./deliver.js";
import { claimDue } from "./outbox.js";
import { forgetFinished } from "./retention.js";

const FORGET_EVERY_MS = 3600_000;

export interface Worker {
  /** Delivers everything due now; resolves when this pass is done. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Delivers what is due in the outbox: retries whose time has come, notices, and messages
 * whose process died before finishing them (their claim runs out and they are taken again).
 */
export function startWorker(ctx: Context): Worker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let stopped = false;

  let lastForgetting = 0;

  const pass = async (): Promise<number> => {
    if (Date.now() - lastForgetting >= FORGET_EVERY_MS) {
      lastForgetting = Date.now();
      await forgetFinished(ctx);
    }
    let delivered = 0;
    for (;;) {
      const batch = await claimDue(ctx, ctx.config.worker.batchSize);
      if (batch.length === 0 || stopped) return delivered;
      await Promise.all(batch.map((claimed) => deliver(ctx, claimed)));
      delivered += batch.length;
    }
  };

  const runOnce = (): Promise<number> => {
    running ??= pass()
      .catch((error: unknown) => {
        ctx.log.error({ err: error }, "outbox pass failed");
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const schedule = () => {
    if (stopped || !ctx.config.worker.enabled) return;
    timer = setTimeout(() => void runOnce().finally(schedule), ctx.config.worker.pollMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
