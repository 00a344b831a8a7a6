import type { RoundRequest, RoundResult } from "./processes/delivery.js";
import { migratedDataDir } from "./support/integration.js";
import { startChild } from "./support/start-child.js";
import { median } from "./support/stats.js";

export interface DeliverySettings {
  messages: number;
  /** Sends in flight at once, as a host's request handlers would have. */
  inFlight: number;
  rounds: number;
}

export interface DeliverySide {
  messagesPerSecond: number;
  cpuMsPerMessage: number;
  p50Ms: number;
  p99Ms: number;
}

export interface DeliveryResult {
  route: "mailbox" | "default";
  service: DeliverySide;
  raw: DeliverySide;
  /** The median of the per-round ratios of the service's rate to raw Nodemailer's. */
  ratio: number;
  rounds: { service: RoundResult; raw: RoundResult }[];
}

const WARM_UP_MESSAGES = 200;

/**
 * `messages` messages through the service and through raw Nodemailer into one sink, round
 * after round, the side that goes first alternating; each round checks that the sink got
 * every message once.
 */
export async function benchDelivery(
  route: "mailbox" | "default",
  settings: DeliverySettings,
): Promise<DeliveryResult> {
  const sink = await startChild("sink");
  const sender = await startChild("delivery", {
    route,
    sinkPort: await sink.call("port"),
    dataDir: await migratedDataDir(),
  });

  const round = async (side: "service" | "raw", count: number) => {
    await sink.call("reset");
    const request: RoundRequest = { side, count, inFlight: settings.inFlight };
    const result = await sender.call<RoundResult>("round", request);
    const { distinct } = await sink.call<{ distinct: number }>("counts");
    if (distinct !== count) throw new Error(`${side} round: ${distinct} of ${count} arrived`);
    return result;
  };

  try {
    await round("service", WARM_UP_MESSAGES);
    await round("raw", WARM_UP_MESSAGES);

    const rounds: DeliveryResult["rounds"] = [];
    for (let index = 0; index < settings.rounds; index++) {
      const order = index % 2 === 0 ? (["service", "raw"] as const) : (["raw", "service"] as const);
      const results: Partial<Record<"service" | "raw", RoundResult>> = {};
      for (const side of order) results[side] = await round(side, settings.messages);
      rounds.push({ service: results.service!, raw: results.raw! });
    }

    const rate = (result: RoundResult) => settings.messages / (result.ms / 1000);
    const summary = (side: "service" | "raw"): DeliverySide => ({
      messagesPerSecond: median(rounds.map((pair) => rate(pair[side]))),
      cpuMsPerMessage: median(rounds.map((pair) => pair[side].cpuMsPerMessage)),
      p50Ms: median(rounds.map((pair) => pair[side].p50)),
      p99Ms: median(rounds.map((pair) => pair[side].p99)),
    });
    return {
      route,
      service: summary("service"),
      raw: summary("raw"),
      ratio: median(rounds.map((pair) => rate(pair.service) / rate(pair.raw))),
      rounds,
    };
  } finally {
    await sender.stop();
    await sink.stop();
  }
}
