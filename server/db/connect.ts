import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Sequelize, type Options } from "sequelize";
import sqlite3 from "sqlite3";
import { ConfigError } from "../config.js";

/** How long a writer waits for another process's lock before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Connections one instance keeps to PostgreSQL. A request or an outbox batch needs a few at
 * most; kept small so that several instances stay well under the server's max_connections.
 */
const POSTGRES_POOL: Options["pool"] = { max: 10, min: 0, idle: 10_000, acquire: 30_000 };

/** An unreachable host fails the start in seconds rather than when TCP gives up. */
const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens the database named by DATABASE_URL: `sqlite:<file>` (the embedded default),
 * `sqlite::memory:`, or `postgres://…` for several instances.
 */
export async function connect(databaseUrl: string): Promise<Sequelize> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return connectPostgres(databaseUrl);
  if (databaseUrl.startsWith("sqlite:")) return connectSqlite(databaseUrl);
  throw new ConfigError("DATABASE_URL must be sqlite:<file> or postgres://user:password@host/db");
}

/**
 * Opens PostgreSQL and proves it answers, so that a wrong address stops the start with one
 * line naming the server and the reason. The password never appears in that line.
 */
async function connectPostgres(databaseUrl: string): Promise<Sequelize> {
  // Sequelize's own parser would print an address it cannot read, password and all.
  if (!URL.canParse(databaseUrl)) throw new ConfigError("DATABASE_URL does not parse as a URL");
  const where = redact(databaseUrl);

  let sequelize: Sequelize | undefined;
  try {
    sequelize = new Sequelize(databaseUrl, {
      dialect: "postgres",
      logging: false,
      pool: POSTGRES_POOL,
      dialectOptions: {
        application_name: "hrms-email-integration",
        connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
      },
    });
    await sequelize.authenticate();
    return sequelize;
  } catch (error) {
    await sequelize?.close().catch(() => undefined);
    throw new ConfigError(`cannot open the database ${where}: ${reason(error, databaseUrl)}`);
  }
}

async function connectSqlite(databaseUrl: string): Promise<Sequelize> {
  const path = databaseUrl.slice("sqlite:".length).replace(/^\/\//, "");
  const storage = path === ":memory:" ? ":memory:" : resolve(path);
  if (storage !== ":memory:") mkdirSync(dirname(storage), { recursive: true });

  const sequelize = new Sequelize({
    dialect: "sqlite",
    storage,
    logging: false,
    dialectModule: { ...sqlite3, Database: PatientDatabase },
  });

  // The host's process and the server's may share the file: WAL lets readers go on beside a
  // writer. It is a property of the file, so setting it once is enough.
  if (storage !== ":memory:") await sequelize.query("PRAGMA journal_mode = WAL");
  return sequelize;
}

/**
 * Sequelize's SQLite dialect opens a new connection for each transaction and runs no connect
 * hooks, so the busy timeout is set where every connection is born: without it a writer that
 * meets another process's lock fails at once with SQLITE_BUSY instead of waiting.
 */
class PatientDatabase extends sqlite3.Database {
  private readonly columnTypes = new Map<string, unknown[]>();

  constructor(filename: string, mode: number, callback: (error: Error | null) => void) {
    super(filename, mode, (error) => {
      if (!error) {
        this.configure("busyTimeout", BUSY_TIMEOUT_MS);
        this.run("PRAGMA synchronous = NORMAL");
      }
      callback(error);
    });
  }

  /**
   * Sequelize asks `PRAGMA table_info` before every SELECT, to read the columns' types, which
   * doubles the statements of a lookup. The answer holds until the schema changes, so it is
   * kept per table and forgotten whenever this connection changes the schema. A migration run
   * by another process sharing the file adds what this process's models do not read anyway.
   */
  override all(sql: string, ...rest: unknown[]): this {
    const table = COLUMN_TYPES_QUERY.exec(sql)?.[1];
    const callback = rest[0];
    if (table === undefined || rest.length !== 1 || typeof callback !== "function") {
      if (SCHEMA_CHANGE.test(sql)) this.columnTypes.clear();
      return super.all(sql, ...rest);
    }

    const known = this.columnTypes.get(table);
    if (known) {
      process.nextTick(() => callback.call(this, null, known));
      return this;
    }
    return super.all(sql, (error: Error | null, rows: unknown[]) => {
      if (!error) this.columnTypes.set(table, rows);
      callback.call(this, error, rows);
    });
  }

  override run(sql: string, ...rest: unknown[]): this {
    if (SCHEMA_CHANGE.test(sql)) this.columnTypes.clear();
    return super.run(sql, ...rest);
  }

  override exec(sql: string, callback?: (error: Error | null) => void): this {
    if (SCHEMA_CHANGE.test(sql)) this.columnTypes.clear();
    return super.exec(sql, callback);
  }
}

/** The query Sequelize's SQLite dialect sends for column types, word for word. */
const COLUMN_TYPES_QUERY = /^PRAGMA table_info\(`([^`]+)`\)$/;
/** A statement, or one of several, that creates, alters or drops a table or an index. */
const SCHEMA_CHANGE = /(?:^|;)\s*(?:CREATE|ALTER|DROP)\b/i;

export function isPostgres(sequelize: Sequelize): boolean {
  return sequelize.getDialect() === "postgres";
}

/** The address as an operator may see it in a log: user, host and database, no password. */
function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(an address that does not parse)";
  }
}

/** The driver's own words (refused, unknown host, wrong password), with no secret in them. */
function reason(error: unknown, databaseUrl: string): string {
  const message = error instanceof Error && error.message ? error.message : String(error);
  const password = passwordOf(databaseUrl);
  return password ? message.split(password).join("***") : message;
}

function passwordOf(databaseUrl: string): string {
  try {
    return decodeURIComponent(new URL(databaseUrl).password);
  } catch {
    return "";
  }
}
