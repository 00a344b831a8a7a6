import type { BurstAnswers, BurstMemory } from "./processes/burst.js";
import { migratedDataDir } from "./support/integration.js";
import { startChild } from "./support/start-child.js";
import { median } from "./support/stats.js";

export interface BurstSettings {
  messages: number;
  /** How long the sink waits before accepting each message. */
  sinkDelayMs: number;
  /** Gives up on a burst that has not arrived by then. */
  timeoutMs: number;
  rounds: number;
}

export interface BurstRun extends BurstAnswers, BurstMemory {
  /** From the first send until the sink holds every message. */
  deliveredMs: number;
  duplicates: number;
}

export interface BurstSummary {
  peakRssBytes: number;
  deliveredMs: number;
}

export interface BurstOutcome {
  service: BurstSummary;
  raw: BurstSummary;
  rounds: { service: BurstRun; raw: BurstRun }[];
}

const POLL_MS = 50;

/**
 * `messages` sends started at once into a sink that takes `sinkDelayMs` over each message,
 * through the service and, as a baseline, through raw Nodemailer, each in a fresh process,
 * the side that goes first alternating from round to round.
 */
export async function benchBurst(settings: BurstSettings): Promise<BurstOutcome> {
  const rounds: BurstOutcome["rounds"] = [];
  for (let index = 0; index < settings.rounds; index++) {
    const order = index % 2 === 0 ? (["raw", "service"] as const) : (["service", "raw"] as const);
    const runs: Partial<Record<"service" | "raw", BurstRun>> = {};
    for (const side of order) runs[side] = await burstOnce(side, settings);
    rounds.push({ service: runs.service!, raw: runs.raw! });
  }

  const summary = (side: "service" | "raw"): BurstSummary => ({
    peakRssBytes: median(rounds.map((pair) => pair[side].peakRssBytes)),
    deliveredMs: median(rounds.map((pair) => pair[side].deliveredMs)),
  });
  return { service: summary("service"), raw: summary("raw"), rounds };
}

async function burstOnce(side: "service" | "raw", settings: BurstSettings): Promise<BurstRun> {
  const sink = await startChild("sink", { delayMs: settings.sinkDelayMs });
  const sender = await startChild("burst", {
    side,
    sinkPort: await sink.call("port"),
    ...(side === "service" && { dataDir: await migratedDataDir() }),
  });
  try {
    await sink.call("reset");
    const started = performance.now();
    const answered = sender.call<BurstAnswers>("burst", { count: settings.messages });

    let counts = { received: 0, distinct: 0 };
    while (counts.distinct < settings.messages) {
      if (performance.now() - started > settings.timeoutMs) {
        throw new Error(`${side} burst: ${counts.distinct} of ${settings.messages} arrived`);
      }
      await new Promise((wait) => setTimeout(wait, POLL_MS));
      counts = await sink.call("counts");
    }
    const deliveredMs = performance.now() - started;

    return {
      ...(await answered),
      ...(await sender.call<BurstMemory>("memory")),
      deliveredMs,
      duplicates: counts.received - counts.distinct,
    };
  } finally {
    await sender.stop();
    await sink.stop();
  }
}
