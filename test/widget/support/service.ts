import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { IntegrationOptions } from "../../../server/integration.js";
import { startHarness, type Harness } from "../../support/harness.js";

export interface RunningService {
  harness: Harness;
  /** The service's base address, for the element's `api` attribute; also its PUBLIC_URL. */
  api: string;
  close(): Promise<void>;
}

/**
 * The whole mail service on a fresh SQLite file, listening on a loopback port. The port is
 * chosen first, because the consent addresses and OAuth callbacks are built from PUBLIC_URL.
 */
export async function startService(options: IntegrationOptions = {}): Promise<RunningService> {
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const harness = await startHarness({ publicUrl: api, port, ...options });
  const server: Server = harness.integration.app.listen(port, "127.0.0.1");
  await new Promise<void>((ready) => server.once("listening", ready));

  return {
    harness,
    api,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await harness.close();
    },
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, "127.0.0.1", ready));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}
