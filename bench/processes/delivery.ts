import { performance } from "node:perf_hooks";
import { childOptions, serveParent } from "../support/serve-parent.js";
import { activateSmtpMailbox, startIntegration, TENANT } from "../support/integration.js";
import { notification } from "../support/message.js";
import { rawSender, type Route } from "../support/raw-transport.js";
import { percentile, runConcurrently } from "../support/stats.js";

/**
 * One process holding both sides of a delivery comparison: the service, sending through a
 * tenant's active SMTP mailbox or through the default mailbox, and a raw pooled Nodemailer
 * transport with the same pool and TLS settings, both aimed at the same sink. The parent
 * calls rounds alternately.
 */
export interface DeliveryOptions {
  route: Route;
  sinkPort: number;
  /** The service's data folder, from migratedDataDir. */
  dataDir: string;
}

export interface RoundRequest {
  side: "service" | "raw";
  count: number;
  inFlight: number;
}

export interface RoundResult {
  ms: number;
  /** CPU time of this process (all its threads) per message: steadier than time on a busy host. */
  cpuMsPerMessage: number;
  p50: number;
  p99: number;
  /** How many `send` calls answered each status; the raw side answers only "sent". */
  statuses: Record<string, number>;
}

const { route, sinkPort, dataDir } = childOptions<DeliveryOptions>();
const bench = await startIntegration(
  dataDir,
  route === "default" ? { defaultSmtpUrl: `smtp://127.0.0.1:${sinkPort}` } : {},
);
if (route === "mailbox") await activateSmtpMailbox(bench, sinkPort);
const raw = rawSender(route, sinkPort, bench.integration.config.defaultFrom);

async function round(side: "service" | "raw", count: number, inFlight: number) {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const sendOne =
    side === "service"
      ? async (index: number) => {
          const result = await bench.integration.send(TENANT, notification(index));
          statuses[result.status] = (statuses[result.status] ?? 0) + 1;
        }
      : async (index: number) => {
          await raw.send(index);
          statuses.sent = (statuses.sent ?? 0) + 1;
        };

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await runConcurrently(count, inFlight, async (index) => {
    const begun = performance.now();
    await sendOne(index);
    latencies.push(performance.now() - begun);
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerMessage = (cpu.user + cpu.system) / 1000 / count;

  return {
    ms,
    cpuMsPerMessage,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses,
  };
}

serveParent({
  round: ({ side, count, inFlight }: RoundRequest) => round(side, count, inFlight),
  async close() {
    raw.close();
    await bench.close();
  },
});
