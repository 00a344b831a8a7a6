import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { migratedDataDir } from "./support/integration.js";
import { startChild } from "./support/start-child.js";
import { median } from "./support/stats.js";

export interface ApiSettings {
  connections: number;
  seconds: number;
  rounds: number;
}

export interface ApiRun {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export interface ApiResult {
  service: { requestsPerSecond: number; p99Ms: number };
  bare: { requestsPerSecond: number; p99Ms: number };
  /** The median of the per-round ratios of the service's rate to the bare route's. */
  ratio: number;
  rounds: { service: ApiRun; bare: ApiRun }[];
}

const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
const WARM_UP_SECONDS = 2;

/**
 * `GET /api/mailbox` of the service (token verified, mailbox read from the database) against
 * a bare Express route answering the same body, each in a process of its own, loaded in turn
 * by autocannon from a third.
 */
export async function benchApi(settings: ApiSettings): Promise<ApiResult> {
  const service = await startChild("api-server", {
    kind: "service",
    dataDir: await migratedDataDir(),
  });
  const serviceAddress = await service.call<{ port: number; token: string }>("address");
  const serviceUrl = `http://127.0.0.1:${serviceAddress.port}/api/mailbox`;
  const headers = { authorization: `Bearer ${serviceAddress.token}` };
  const body = await (await fetch(serviceUrl, { headers })).json();

  const bare = await startChild("api-server", { kind: "bare", body });
  const bareUrl = `http://127.0.0.1:${(await bare.call<{ port: number }>("address")).port}/api/mailbox`;

  const load = (url: string, seconds: number) =>
    autocannon(url, headers, settings.connections, seconds);

  try {
    await load(serviceUrl, WARM_UP_SECONDS);
    await load(bareUrl, WARM_UP_SECONDS);

    const rounds: ApiResult["rounds"] = [];
    for (let index = 0; index < settings.rounds; index++) {
      const first = index % 2 === 0 ? "service" : "bare";
      const runs: Partial<Record<"service" | "bare", ApiRun>> = {};
      for (const side of first === "service" ? ["service", "bare"] : ["bare", "service"]) {
        runs[side as "service" | "bare"] = await load(
          side === "service" ? serviceUrl : bareUrl,
          settings.seconds,
        );
      }
      rounds.push({ service: runs.service!, bare: runs.bare! });
    }

    const summary = (side: "service" | "bare") => ({
      requestsPerSecond: median(rounds.map((pair) => pair[side].requestsPerSecond)),
      p99Ms: median(rounds.map((pair) => pair[side].p99Ms)),
    });
    return {
      service: summary("service"),
      bare: summary("bare"),
      ratio: median(
        rounds.map((pair) => pair.service.requestsPerSecond / pair.bare.requestsPerSecond),
      ),
      rounds,
    };
  } finally {
    await bare.stop();
    await service.stop();
  }
}

/** Runs the autocannon command in a process of its own and reads its JSON summary. */
async function autocannon(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<ApiRun> {
  const args = [AUTOCANNON, "--json", "-c", String(connections), "-d", String(seconds)];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}=${value}`);
  args.push(url);

  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk));
  const code = await new Promise<number | null>((done) => child.once("close", done));
  if (code !== 0) throw new Error(`autocannon exited with ${code}: ${err}`);

  const report = JSON.parse(out) as {
    requests: { average: number };
    latency: { p99: number };
    non2xx: number;
    errors: number;
  };
  return {
    requestsPerSecond: report.requests.average,
    p99Ms: report.latency.p99,
    non2xx: report.non2xx,
    errors: report.errors,
  };
}
