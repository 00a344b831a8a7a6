import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testCa } from "../../test/support/certs.js";
import {
  createEmailIntegration,
  createEmbedToken,
  type EmailIntegration,
  type IntegrationOptions,
} from "../../server/index.js";

const EMBED_SECRET = "bench-embed-secret-that-is-long-enough-0123456789";
export const TENANT = "acme";

export interface BenchIntegration {
  integration: EmailIntegration;
  /** An embed token for an admin of TENANT. */
  token(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The service as a host would run it in production: a SQLite file, the background worker on
 * with its default timing, logs at level info. Only the SMTP servers it meets are on loopback,
 * so private hosts are allowed and the test CA is trusted. It starts on `dataDir`, which
 * migratedDataDir made, and removes it when closed.
 */
export async function startIntegration(
  dataDir: string,
  options: Partial<IntegrationOptions> = {},
): Promise<BenchIntegration> {
  const integration = await createEmailIntegration({ ...settings(dataDir), ...options });

  return {
    integration,
    token: () =>
      createEmbedToken(
        { tenant: TENANT, sub: "admin-1", email: "admin@acme.example" },
        EMBED_SECRET,
      ),
    async close() {
      await integration.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A data folder whose database one start has created, migrated and closed, as a service that
 * restarts finds its own. The measured processes start on one: only a first start loads the
 * migration tool, which would then stay in that process's memory for the rest of its life.
 */
export async function migratedDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "email-integration-bench-"));
  const first = await createEmailIntegration(settings(dataDir));
  await first.close();
  return dataDir;
}

function settings(dataDir: string): IntegrationOptions {
  return {
    environment: {},
    env: "production",
    dataDir,
    databaseUrl: `sqlite:${join(dataDir, "bench.sqlite")}`,
    secretKey: "b".repeat(64),
    embedSecret: EMBED_SECRET,
    sessionSecret: "bench-session-secret-that-is-long-enough",
    publicUrl: "http://127.0.0.1:3000",
    smtpAllowPrivateHosts: true,
    smtpCa: testCa,
    logLevel: "info",
    google: null,
    microsoft: null,
  };
}

/**
 * Creates TENANT's mailbox, connects it to the SMTP server on `port` and passes the test mail,
 * all through the HTTP API as the widget would, so that the mailbox is active.
 */
export async function activateSmtpMailbox(bench: BenchIntegration, port: number): Promise<void> {
  const server = createServer(bench.integration.app);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const headers = {
    authorization: `Bearer ${await bench.token()}`,
    "content-type": "application/json",
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${await response.text()}`);
  };

  try {
    await call("POST", "/mailbox", { displayName: "Acme HR", address: "hr@acme.example" });
    await call("PUT", "/mailbox/smtp", {
      username: "hr@acme.example",
      password: "bench-password",
      host: "127.0.0.1",
      port,
      secure: false,
    });
    await call("POST", "/mailbox/test");
  } finally {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  }
}
