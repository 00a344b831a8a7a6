import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { IntegrationOptions } from "../../../server/integration.js";
import { startHarness, type Harness } from "../../support/harness.js";

export interface RunningService {
  harness: Harness;
  /** The service's base address, for the element's `api` attribute. */
  api: string;
  close(): Promise<void>;
}

/** The whole mail service on a fresh SQLite file, listening on a loopback port. */
export async function startService(options: IntegrationOptions = {}): Promise<RunningService> {
  const harness = await startHarness(options);
  const server: Server = harness.integration.app.listen(0, "127.0.0.1");
  await new Promise<void>((ready) => server.once("listening", ready));

  return {
    harness,
    api: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await harness.close();
    },
  };
}
