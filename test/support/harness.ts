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
import { createPostgresDatabase, dropPostgresDatabase, queryFile } from "./database.js";

export const EMBED_SECRET = "test-embed-secret-that-is-long-enough-0123456789";
export const SECRET_KEY = "a".repeat(64);

/**
 * The PostgreSQL server tests may use: its user must be allowed to create databases. Unset,
 * the PostgreSQL tests skip (except under CI, whose script starts one).
 */
export const POSTGRES_SERVER_URL = process.env.TEST_DATABASE_URL || null;

export type TestDatabase = "sqlite" | "postgres";

/**
 * Where a harness keeps its data when the test does not say: a SQLite file, or with
 * TEST_DATABASE=postgres a database of its own on the server of TEST_DATABASE_URL, so that
 * chosen test files can run unchanged against PostgreSQL.
 */
export const DEFAULT_TEST_DATABASE: TestDatabase =
  process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

export interface HarnessOptions extends IntegrationOptions {
  database?: TestDatabase;
}

export interface Harness {
  integration: EmailIntegration;
  dataDir: string;
  database: TestDatabase;
  /** What the integration was opened on, for a second instance on the same data. */
  databaseUrl: string;
  /**
   * The SQLite file; on PostgreSQL the database's address. Either way it is what queryFile
   * and drainOutbox read.
   */
  databaseFile: string;
  request: supertest.Agent;
  /** Runs SQL on the harness's database from the side; see queryFile for the dialect. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** An embed token for an admin of `tenant`. */
  token(tenant: string, claims?: { email?: string; name?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A whole integration on a fresh database (a SQLite file in a temporary folder, or a new
 * PostgreSQL database), with settings fit for tests: SMTP servers on loopback allowed and
 * trusted through the test CA, short timeouts, no background worker (tests flush the outbox
 * when they mean to), nothing from process.env.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { database = DEFAULT_TEST_DATABASE, ...integrationOptions } = options;
  const dataDir = mkdtempSync(join(tmpdir(), "email-integration-"));
  const fresh = integrationOptions.databaseUrl
    ? { url: integrationOptions.databaseUrl, drop: async () => undefined }
    : await freshDatabase(database, dataDir);

  const integration = await createEmailIntegration({
    environment: { NODE_ENV: "test" },
    env: "test",
    dataDir,
    databaseUrl: fresh.url,
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
    ...integrationOptions,
  }).catch(async (error: unknown) => {
    await fresh.drop();
    throw error;
  });

  const onSqlite = fresh.url.startsWith("sqlite:");
  const databaseFile = onSqlite ? fresh.url.slice("sqlite:".length) : fresh.url;
  return {
    integration,
    dataDir,
    database: onSqlite ? "sqlite" : "postgres",
    databaseUrl: fresh.url,
    databaseFile,
    request: supertest.agent(integration.app),
    query: (sql, params) => queryFile(databaseFile, sql, params),
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
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function freshDatabase(
  database: TestDatabase,
  dataDir: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (database === "sqlite") {
    return { url: `sqlite:${join(dataDir, "test.sqlite")}`, drop: async () => undefined };
  }

  if (!POSTGRES_SERVER_URL) throw new Error("TEST_DATABASE_URL names no PostgreSQL server");
  const server = POSTGRES_SERVER_URL;
  const url = await createPostgresDatabase(server);
  return { url, drop: () => dropPostgresDatabase(server, url) };
}
