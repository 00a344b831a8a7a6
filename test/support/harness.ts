import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import supertest from "supertest";
import { createEmbedToken } from "../../server/auth/embed-token.js";
import {
  createEmailIntegration,
  type EmailIntegration,
  type IntegrationOptions,
} from "../../server/integration.js";
import { testCa } from "./certs.js";

export const EMBED_SECRET = "test-embed-secret-that-is-long-enough-0123456789";
export const SECRET_KEY = "a".repeat(64);

export interface Harness {
  integration: EmailIntegration;
  dataDir: string;
  databaseFile: string;
  request: supertest.Agent;
  /** An embed token for an admin of `tenant`. */
  token(tenant: string, claims?: { email?: string; name?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A whole integration on a fresh SQLite file in a temporary folder, with settings fit for
 * tests: SMTP servers on loopback allowed and trusted through the test CA, short timeouts,
 * no background worker (tests flush the outbox when they mean to), nothing from process.env.
 */
export async function startHarness(options: IntegrationOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), "email-integration-"));
  const databaseFile = join(dataDir, "test.sqlite");
  const integration = await createEmailIntegration({
    environment: { NODE_ENV: "test" },
    env: "test",
    dataDir,
    databaseUrl: `sqlite:${databaseFile}`,
    embedSecret: EMBED_SECRET,
    secretKey: SECRET_KEY,
    sessionSecret: "test-session-secret",
    publicUrl: "http://127.0.0.1:3000",
    allowedOrigins: ["http://host.example"],
    smtpAllowPrivateHosts: true,
    smtpCa: testCa,
    smtpTimeouts: { connection: 2_000, greeting: 2_000, socket: 4_000 },
    worker: { enabled: false, pollMs: 50, batchSize: 20, leaseMs: 30_000 },
    retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 4, mailboxWindowMs: 60_000 },
    demo: { enabled: false, smtpPort: 0 },
    google: null,
    microsoft: null,
    ...options,
  });

  return {
    integration,
    dataDir,
    databaseFile,
    request: supertest.agent(integration.app),
    token: (tenant, claims = {}) =>
      createEmbedToken(
        {
          tenant,
          sub: `admin-of-${tenant}`,
          email: claims.email ?? `admin@${tenant}.example`,
          name: claims.name,
        },
        EMBED_SECRET,
      ),
    async close() {
      await integration.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
