import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { childOptions, serveParent } from "../support/serve-parent.js";
import { activateSmtpMailbox, startIntegration } from "../support/integration.js";
import { startLeanSink } from "../support/lean-sink.js";

/**
 * An HTTP server in a process of its own, for autocannon to load from another: the service
 * with an active SMTP mailbox, or a bare Express route that answers the service's own body
 * with nothing in between (no token, no database, no middleware).
 */
export interface ApiServerOptions {
  kind: "service" | "bare";
  /** For the bare route: the body to answer. */
  body?: unknown;
  /** The service's data folder, from migratedDataDir. */
  dataDir?: string;
}

const { kind, body, dataDir } = childOptions<ApiServerOptions>();
let token = "";
let release = async () => {};
let app: express.Express;

if (kind === "service") {
  const bench = await startIntegration(dataDir!);
  const sink = await startLeanSink();
  await activateSmtpMailbox(bench, sink.port);
  await sink.close();
  token = await bench.token();
  app = bench.integration.app;
  release = () => bench.close();
} else {
  app = express();
  app.get("/api/mailbox", (_req, res) => {
    res.json(body);
  });
}

const server: Server = createServer(app);
await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));

serveParent({
  address: () => ({ port: (server.address() as AddressInfo).port, token }),
  async close() {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
    await release();
  },
});
