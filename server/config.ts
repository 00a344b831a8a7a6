import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  publicUrl: string;
  databaseUrl: string;
  dataDir: string;
  /** Encrypts stored credentials; older keys still decrypt what they encrypted. */
  secretKeys: { current: Buffer; previous: Buffer[] };
  sessionSecret: string;
  embedSecret: string;
  allowedOrigins: string[];
  defaultFrom: string;
  defaultSmtpUrl: string | null;
  smtpAllowPrivateHosts: boolean;
  /** Timeouts of every SMTP conversation, in milliseconds: seconds, never minutes. */
  smtpTimeouts: { connection: number; greeting: number; socket: number };
  /** Extra certificate authorities that SMTP servers may present (PEM). */
  smtpCa: string | null;
  google: { clientId: string; clientSecret: string; endpoints: GoogleEndpoints } | null;
  microsoft: {
    clientId: string;
    clientSecret: string;
    tenant: string;
    metadataUrl: string;
    graphApiUrl: string;
  } | null;
  /** How failed deliveries are retried before a mailbox is given up on or a message fails. */
  retry: RetryPolicy;
  /** The outbox worker: how often it looks for due messages and how long a claim holds. */
  worker: { enabled: boolean; pollMs: number; batchSize: number; leaseMs: number };
  /** How long the outbox remembers a message after it was sent or failed for good. */
  outboxRetentionDays: number;
  /** The demo SMTP server, token minting and inbox: development only. */
  demo: { enabled: boolean; smtpPort: number };
  logLevel: string;
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** How long an active mailbox may keep failing transiently before it counts as broken. */
  mailboxWindowMs: number;
}

export interface GoogleEndpoints {
  authUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  revokeUrl: string;
  gmailApiUrl: string;
}

/** Options of `createEmailIntegration`: each one wins over its environment variable. */
export type ConfigOptions = Partial<Omit<Config, "secretKeys">> & {
  secretKey?: string;
  previousSecretKeys?: string[];
};

const GENERATED_SECRETS = ["SECRET_KEY", "SESSION_SECRET", "EMBED_SECRET"] as const;

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: ConfigOptions = {},
): Config {
  const mode = options.env ?? parseMode(env.NODE_ENV);
  const port = options.port ?? parsePort(env.PORT ?? "3000", "PORT");
  const publicUrl = trimSlash(options.publicUrl ?? env.PUBLIC_URL ?? `http://localhost:${port}`);
  const databaseUrl =
    options.databaseUrl ?? env.DATABASE_URL ?? "sqlite:data/email-integration.sqlite";
  const dataDir = resolve(options.dataDir ?? env.DATA_DIR ?? "data");
  const secrets = readSecrets(env, options, mode, dataDir);

  return {
    env: mode,
    port,
    publicUrl,
    databaseUrl,
    dataDir,
    secretKeys: {
      current: parseKey(secrets.SECRET_KEY, "SECRET_KEY"),
      previous: (options.previousSecretKeys ?? list(env.PREVIOUS_SECRET_KEYS)).map((key) =>
        parseKey(key, "PREVIOUS_SECRET_KEYS"),
      ),
    },
    sessionSecret: secrets.SESSION_SECRET,
    embedSecret: secrets.EMBED_SECRET,
    allowedOrigins: options.allowedOrigins ?? originsFromEnv(env.ALLOWED_ORIGINS, publicUrl),
    defaultFrom:
      options.defaultFrom ?? env.DEFAULT_FROM ?? "HRMS Notifications <notifications@localhost>",
    defaultSmtpUrl: options.defaultSmtpUrl ?? env.DEFAULT_SMTP_URL ?? null,
    smtpAllowPrivateHosts:
      options.smtpAllowPrivateHosts ??
      parseBool(env.SMTP_ALLOW_PRIVATE_HOSTS) ??
      mode === "development",
    smtpTimeouts: options.smtpTimeouts ?? {
      connection: parseMs(env.SMTP_CONNECTION_TIMEOUT_MS, 10_000),
      greeting: parseMs(env.SMTP_GREETING_TIMEOUT_MS, 10_000),
      socket: parseMs(env.SMTP_SOCKET_TIMEOUT_MS, 30_000),
    },
    smtpCa: options.smtpCa ?? (env.SMTP_CA_FILE ? readFileSync(env.SMTP_CA_FILE, "utf8") : null),
    google: options.google !== undefined ? options.google : googleFromEnv(env),
    microsoft: options.microsoft !== undefined ? options.microsoft : microsoftFromEnv(env),
    retry: options.retry ?? {
      baseDelayMs: parseMs(env.RETRY_BASE_DELAY_MS, 5_000),
      maxDelayMs: parseMs(env.RETRY_MAX_DELAY_MS, 15 * 60_000),
      maxAttempts: parseMs(env.RETRY_MAX_ATTEMPTS, 10),
      mailboxWindowMs: parseMs(env.RETRY_MAILBOX_WINDOW_MS, 30 * 60_000),
    },
    worker: options.worker ?? {
      enabled: parseBool(env.OUTBOX_WORKER) ?? true,
      pollMs: parseMs(env.OUTBOX_POLL_MS, 1_000),
      batchSize: 20,
      leaseMs: 2 * 60_000,
    },
    outboxRetentionDays: options.outboxRetentionDays ?? parseDays(env.OUTBOX_RETENTION_DAYS, 30),
    demo: options.demo ?? {
      enabled: mode === "development",
      smtpPort: parsePort(env.DEMO_SMTP_PORT ?? "2525", "DEMO_SMTP_PORT"),
    },
    logLevel: options.logLevel ?? env.LOG_LEVEL ?? (mode === "test" ? "silent" : "info"),
  };
}

function parseMode(value: string | undefined): Config["env"] {
  if (value === "production" || value === "test") return value;
  return "development";
}

/**
 * Secrets come from the environment. In development and tests a missing one is generated once
 * into the data folder so that `npm start` works on a fresh clone; in production a missing
 * secret stops the start, because a generated one would silently differ between instances.
 */
function readSecrets(
  env: NodeJS.ProcessEnv,
  options: ConfigOptions,
  mode: Config["env"],
  dataDir: string,
): Record<(typeof GENERATED_SECRETS)[number], string> {
  const given = {
    SECRET_KEY: options.secretKey ?? env.SECRET_KEY,
    SESSION_SECRET: options.sessionSecret ?? env.SESSION_SECRET,
    EMBED_SECRET: options.embedSecret ?? env.EMBED_SECRET,
  };
  const missing = GENERATED_SECRETS.filter((name) => !given[name]);
  if (missing.length === 0) return given as Record<(typeof GENERATED_SECRETS)[number], string>;

  if (mode === "production") {
    throw new ConfigError(
      `${missing.join(", ")} must be set in production (SECRET_KEY: 32 bytes as 64 hex digits or base64)`,
    );
  }

  const file = join(dataDir, "secrets.json");
  const stored: Record<string, string> = existsSync(file)
    ? JSON.parse(readFileSync(file, "utf8"))
    : {};
  let changed = false;
  for (const name of missing) {
    if (!stored[name]) {
      stored[name] = randomBytes(32).toString(name === "SECRET_KEY" ? "hex" : "base64url");
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
  }
  return {
    SECRET_KEY: given.SECRET_KEY ?? stored.SECRET_KEY,
    SESSION_SECRET: given.SESSION_SECRET ?? stored.SESSION_SECRET,
    EMBED_SECRET: given.EMBED_SECRET ?? stored.EMBED_SECRET,
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parseKey(value: string, name: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value)
    ? Buffer.from(value, "hex")
    : Buffer.from(value, "base64");
  if (key.length !== 32) {
    throw new ConfigError(`${name} must be 32 bytes, as 64 hex digits or base64`);
  }
  return key;
}

function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number, not "${value}"`);
  }
  return port;
}

function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  return ["1", "true", "yes", "on"].includes(value.toLowerCase());
}

function parseMs(value: string | undefined, fallback: number): number {
  const ms = Number(value);
  return value && Number.isFinite(ms) && ms > 0 ? ms : fallback;
}

function parseDays(value: string | undefined, fallback: number): number {
  const days = Number(value);
  return value && Number.isFinite(days) && days >= 0 ? days : fallback;
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function originsFromEnv(value: string | undefined, publicUrl: string): string[] {
  const origins = list(value).map(trimSlash);
  return origins.length > 0 ? origins : [new URL(publicUrl).origin];
}

function googleFromEnv(env: NodeJS.ProcessEnv): Config["google"] {
  if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) return null;
  return {
    clientId: env.GOOGLE_CLIENT_ID,
    clientSecret: env.GOOGLE_CLIENT_SECRET,
    endpoints: {
      authUrl: env.GOOGLE_AUTH_URL ?? "https://accounts.google.com/o/oauth2/v2/auth",
      tokenUrl: env.GOOGLE_TOKEN_URL ?? "https://oauth2.googleapis.com/token",
      userinfoUrl: env.GOOGLE_USERINFO_URL ?? "https://openidconnect.googleapis.com/v1/userinfo",
      revokeUrl: env.GOOGLE_REVOKE_URL ?? "https://oauth2.googleapis.com/revoke",
      gmailApiUrl: env.GMAIL_API_URL ?? "https://gmail.googleapis.com",
    },
  };
}

function microsoftFromEnv(env: NodeJS.ProcessEnv): Config["microsoft"] {
  if (!env.MICROSOFT_CLIENT_ID || !env.MICROSOFT_CLIENT_SECRET) return null;
  const tenant = env.MICROSOFT_TENANT ?? "common";
  return {
    clientId: env.MICROSOFT_CLIENT_ID,
    clientSecret: env.MICROSOFT_CLIENT_SECRET,
    tenant,
    metadataUrl:
      env.MICROSOFT_METADATA_URL ??
      `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`,
    graphApiUrl: env.GRAPH_API_URL ?? "https://graph.microsoft.com/v1.0",
  };
}
