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
    return deliverDue();
  };

  /**
   * Keeps up to a batch of deliveries under way, and claims more each time half of them have
   * finished, so that a backlog flows on without a pause at the end of every batch. A pass
   * ends once less than it asked for was due, when what it started has finished.
   */
  const deliverDue = async (): Promise<number> => {
    const { batchSize } = ctx.config.worker;
    const underWay = new Set<Promise<void>>();
    let delivered = 0;

    try {
      for (;;) {
        const wanted = batchSize - underWay.size;
        const batch = await claimDue(ctx, wanted);
        for (const claimed of batch) {
          const delivery = deliver(ctx, claimed).then(
            () => void underWay.delete(delivery),
            (error: unknown) => {
              underWay.delete(delivery);
              // Its claim runs out and a later pass takes it again.
              ctx.log.error({ tenant: claimed.row.tenant, err: error }, "outbox delivery failed");
            },
          );
          underWay.add(delivery);
        }
        delivered += batch.length;
        if (batch.length < wanted || stopped) break;
        while (underWay.size > batchSize / 2) await Promise.race(underWay);
      }
    } finally {
      await Promise.all(underWay);
    }
    return delivered;
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
