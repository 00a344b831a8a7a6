import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { benchApi, type ApiResult, type ApiSettings } from "./api.js";
import { benchBurst, type BurstOutcome, type BurstSettings } from "./burst.js";
import { benchDelivery, type DeliveryResult, type DeliverySettings } from "./delivery.js";
import { fixed, kilobytes, markdownTable, megabytes, target, type Row } from "./support/table.js";
import { benchWidget, type WidgetResult } from "./widget.js";

/**
 * `npm run bench [-- part… ] [-- --quick]`: runs the benchmarks (all, or the parts named:
 * delivery, api, burst, widget), prints one table and writes it with every round's numbers
 * as JSON: bench/results/latest.json for a full run, partial.json otherwise.
 */
const PARTS = ["delivery", "api", "burst", "widget"] as const;
type Part = (typeof PARTS)[number];

interface Settings {
  delivery: DeliverySettings;
  api: ApiSettings;
  burst: BurstSettings;
}

const FULL: Settings = {
  delivery: { messages: 2_000, inFlight: 10, rounds: 5 },
  api: { connections: 50, seconds: 5, rounds: 5 },
  burst: { messages: 10_000, sinkDelayMs: 10, timeoutMs: 600_000, rounds: 2 },
};

/** Enough to see that everything runs, and roughly where it stands. */
const QUICK: Settings = {
  delivery: { messages: 500, inFlight: 10, rounds: 2 },
  api: { connections: 50, seconds: 2, rounds: 2 },
  burst: { messages: 2_000, sinkDelayMs: 10, timeoutMs: 120_000, rounds: 1 },
};

const TARGETS = {
  delivery: 0.8,
  api: 0.5,
  burstRssBytes: 250 * 1024 * 1024,
  widgetGzip: 25 * 1024,
};

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const named = args.filter((arg): arg is Part => (PARTS as readonly string[]).includes(arg));
const unknown = args.filter((arg) => arg !== "--quick" && !named.includes(arg as Part));
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown.join(", ")}; parts are ${PARTS.join(", ")}`);
  process.exit(2);
}
const parts = named.length > 0 ? named : [...PARTS];
const settings = quick ? QUICK : FULL;

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  os: `${process.platform} ${release()}`,
  loadAverageAtStart: loadavg().map((load) => Number(load.toFixed(2))),
};

const results: {
  delivery?: { mailbox: DeliveryResult; default: DeliveryResult };
  api?: ApiResult;
  burst?: BurstOutcome;
  widget?: WidgetResult;
} = {};

for (const part of parts) {
  console.error(`bench: ${part}…`);
  if (part === "delivery") {
    results.delivery = {
      mailbox: await benchDelivery("mailbox", settings.delivery),
      default: await benchDelivery("default", settings.delivery),
    };
  }
  if (part === "api") results.api = await benchApi(settings.api);
  if (part === "burst") results.burst = await benchBurst(settings.burst);
  if (part === "widget") results.widget = await benchWidget();
}

const rows = tableRows();
const table = markdownTable(rows);
console.log(table);

const full = !quick && parts.length === PARTS.length;
const file = new URL(`./results/${full ? "latest" : "partial"}.json`, import.meta.url);
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
const report = { at: new Date().toISOString(), quick, machine, settings, results, table: rows };
await writeFile(file, JSON.stringify(report, null, 2) + "\n");
console.error(`bench: written to ${fileURLToPath(file)}`);

function tableRows(): Row[] {
  const rows: Row[] = [];
  const { delivery, api, burst, widget } = results;

  for (const [route, result] of Object.entries(delivery ?? {})) {
    const name = route === "mailbox" ? "active SMTP mailbox" : "default mailbox";
    rows.push(
      {
        benchmark: `delivery, ${fixed(settings.delivery.messages)} msgs, ${name}`,
        measure: "msgs/s",
        service: fixed(result.service.messagesPerSecond),
        baseline: `${fixed(result.raw.messagesPerSecond)} (raw Nodemailer)`,
        ratio: fixed(result.ratio, 2),
        target: target(`≥ ${TARGETS.delivery}`, result.ratio >= TARGETS.delivery),
      },
      {
        benchmark: "",
        measure: "send p50 / p99 ms",
        service: `${fixed(result.service.p50Ms, 1)} / ${fixed(result.service.p99Ms, 1)}`,
        baseline: `${fixed(result.raw.p50Ms, 1)} / ${fixed(result.raw.p99Ms, 1)}`,
        ratio: "",
        target: "",
      },
    );
  }

  if (api) {
    rows.push(
      {
        benchmark: `API GET /api/mailbox, ${settings.api.connections} connections`,
        measure: "req/s",
        service: fixed(api.service.requestsPerSecond),
        baseline: `${fixed(api.bare.requestsPerSecond)} (bare Express)`,
        ratio: fixed(api.ratio, 2),
        target: target(`≥ ${TARGETS.api}`, api.ratio >= TARGETS.api),
      },
      {
        benchmark: "",
        measure: "p99 ms",
        service: fixed(api.service.p99Ms),
        baseline: fixed(api.bare.p99Ms),
        ratio: "",
        target: "",
      },
    );
  }

  if (burst) {
    const { messages, sinkDelayMs } = settings.burst;
    rows.push(
      {
        benchmark: `burst, ${fixed(messages)} msgs at once, sink ${sinkDelayMs} ms/msg`,
        measure: "peak RSS MB",
        service: megabytes(burst.service.peakRssBytes),
        baseline: `${megabytes(burst.raw.peakRssBytes)} (raw Nodemailer)`,
        ratio: fixed(burst.service.peakRssBytes / burst.raw.peakRssBytes, 2),
        target: target("< 250 MB", burst.service.peakRssBytes < TARGETS.burstRssBytes),
      },
      {
        benchmark: "",
        measure: "all delivered s",
        service: fixed(burst.service.deliveredMs / 1000, 1),
        baseline: fixed(burst.raw.deliveredMs / 1000, 1),
        ratio: fixed(burst.service.deliveredMs / burst.raw.deliveredMs, 2),
        target: "",
      },
    );
  }

  if (widget) {
    rows.push(
      {
        benchmark: "widget bundle",
        measure: "gzipped KB",
        service: kilobytes(widget.gzipBytes),
        baseline: `${kilobytes(widget.lit.gzipBytes)} (Lit alone)`,
        ratio: "",
        target: target("< 25 KB", widget.gzipBytes < TARGETS.widgetGzip),
      },
      {
        benchmark: "",
        measure: "minified KB",
        service: kilobytes(widget.minifiedBytes),
        baseline: kilobytes(widget.lit.minifiedBytes),
        ratio: "",
        target: "",
      },
    );
  }
  return rows;
}
