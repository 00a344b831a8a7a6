import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Sequelize } from "sequelize";
import sqlite3 from "sqlite3";

/** How long a writer waits for another process's lock before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens the database named by DATABASE_URL: `sqlite:<file>` (the embedded default),
 * `sqlite::memory:`, or `postgres://…` for several instances.
 */
export async function connect(databaseUrl: string): Promise<Sequelize> {
  if (!databaseUrl.startsWith("sqlite:")) {
    const sequelize = new Sequelize(databaseUrl, { logging: false });
    await sequelize.authenticate();
    return sequelize;
  }

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
  constructor(filename: string, mode: number, callback: (error: Error | null) => void) {
    super(filename, mode, (error) => {
      if (!error) {
        this.configure("busyTimeout", BUSY_TIMEOUT_MS);
        this.run("PRAGMA synchronous = NORMAL");
      }
      callback(error);
    });
  }
}

export function isSqlite(sequelize: Sequelize): boolean {
  return sequelize.getDialect() === "sqlite";
}
