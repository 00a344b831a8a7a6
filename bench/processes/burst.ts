import { readFileSync } from "node:fs";
import { childOptions, serveParent } from "../support/serve-parent.js";
import { notification } from "../support/message.js";
import { rawSender } from "../support/raw-transport.js";
import { startHeapProfile } from "../support/heap-profile.js";

/**
 * A burst in a process of its own, so that its peak memory is its own: `count` sends started
 * at once through the service's active SMTP mailbox, or through a raw pooled Nodemailer
 * transport with the same settings, into a slow sink.
 */
export interface BurstOptions {
  side: "service" | "raw";
  sinkPort: number;
  /** The service's data folder, from migratedDataDir. */
  dataDir?: string;
}

export interface BurstAnswers {
  /** Until the last `send` call answered; sends the service leaves to its worker answer early. */
  answeredMs: number;
  statuses: Record<string, number>;
}

/**
 * Asked for once the sink holds every message, so that the peak covers the whole burst: the
 * service's sends answer `queued` long before its worker has delivered them.
 */
export interface BurstMemory {
  /** The kernel's high-water mark of this process's resident memory (VmHWM). */
  peakRssBytes: number;
  rssBeforeBytes: number;
  /** The most the JavaScript heap held, sampled every SAMPLE_MS: the share of the peak that is objects. */
  peakHeapUsedBytes: number;
}

const SAMPLE_MS = 50;

const { side, sinkPort, dataDir } = childOptions<BurstOptions>();

let sendOne: (index: number) => Promise<string>;
let release: () => Promise<void>;

if (side === "service") {
  // Loaded only here, so that the raw side's memory holds Nodemailer and nothing more.
  const { activateSmtpMailbox, startIntegration, TENANT } =
    await import("../support/integration.js");
  const bench = await startIntegration(dataDir!);
  await activateSmtpMailbox(bench, sinkPort);
  sendOne = async (index) => (await bench.integration.send(TENANT, notification(index))).status;
  release = () => bench.close();
} else {
  const raw = rawSender("mailbox", sinkPort, "");
  sendOne = async (index) => {
    await raw.send(index);
    return "sent";
  };
  release = async () => raw.close();
}

function statusKb(field: "VmHWM" | "VmRSS"): number {
  const line = readFileSync("/proc/self/status", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? "")?.[1] ?? Number.NaN);
}

let rssBeforeBytes = 0;
let peakHeapUsedBytes = 0;
let sampler: NodeJS.Timeout | undefined;
let writeHeapProfile: Awaited<ReturnType<typeof startHeapProfile>> = null;

async function burst(count: number): Promise<BurstAnswers> {
  rssBeforeBytes = statusKb("VmRSS") * 1024;
  writeHeapProfile = await startHeapProfile();
  const statuses: Record<string, number> = {};
  sampler = setInterval(() => {
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, process.memoryUsage().heapUsed);
  }, SAMPLE_MS);
  const started = performance.now();

  const sends: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    sends.push(
      sendOne(index).then((status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(sends);

  return { answeredMs: performance.now() - started, statuses };
}

async function memory(): Promise<BurstMemory> {
  clearInterval(sampler);
  peakHeapUsedBytes = Math.max(peakHeapUsedBytes, process.memoryUsage().heapUsed);
  const peak = { peakRssBytes: statusKb("VmHWM") * 1024, rssBeforeBytes, peakHeapUsedBytes };
  await writeHeapProfile?.(`burst-${side}-${process.pid}`);
  return peak;
}

serveParent({
  burst: ({ count }: { count: number }) => burst(count),
  memory: () => memory(),
  close: () => release(),
});
