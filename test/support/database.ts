import { randomBytes } from "node:crypto";
import pg from "pg";
import sqlite3 from "sqlite3";
import { numberPlaceholders } from "../../server/db/statements.js";

/**
 * Reads a test's database from the side, as an operator with a shell would: a SQLite file, or
 * a PostgreSQL database given by its `postgres://` address. SQL is written once for both:
 * `?` placeholders, and camelCase columns in double quotes ("messageId"), which PostgreSQL
 * needs and SQLite accepts. PostgreSQL's counts come back as numbers, its dates as Dates.
 */
export function queryFile<T = Record<string, unknown>>(
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return isPostgresUrl(database)
    ? queryPostgres<T>(database, sql, params)
    : querySqlite<T>(database, sql, params);
}

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//.test(database);
}

function querySqlite<T>(file: string, sql: string, params: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
      if (openError) return reject(openError);
      db.all(sql, params, (error, rows) => {
        db.close();
        if (error) reject(error);
        else resolve(rows as T[]);
      });
    });
  });
}

/** One small pool per database, so that polling helpers do not open a connection each time. */
const pools = new Map<string, pg.Pool>();

/** Counts are INT8, which pg hands over as strings for fear of precision; tests count small. */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

async function queryPostgres<T>(url: string, sql: string, params: unknown[]): Promise<T[]> {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 1_000, types });
    pool.on("error", () => undefined);
    pools.set(url, pool);
  }
  const result = await pool.query(numberPlaceholders(sql), params);
  return result.rows as T[];
}

/** Lets go of the connections kept for `database`, before it is dropped. */
export async function releaseDatabase(database: string): Promise<void> {
  const pool = pools.get(database);
  pools.delete(database);
  await pool?.end();
}

/**
 * A fresh, empty database on the PostgreSQL server of `serverUrl` (whose user may create
 * databases), with the address to reach it by. Each test gets its own, as each gets its own
 * SQLite file, so tests running side by side never see each other's rows.
 */
export async function createPostgresDatabase(serverUrl: string): Promise<string> {
  const name = `email_integration_test_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by createPostgresDatabase, whoever is still connected to it. */
export async function dropPostgresDatabase(serverUrl: string, databaseUrl: string): Promise<void> {
  await releaseDatabase(databaseUrl);
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^email_integration_test_[0-9a-f]+$/.test(name)) throw new Error(`not a test database`);
  await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
