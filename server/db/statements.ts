import { DataTypes, QueryTypes, type ModelStatic, type Model, type Sequelize } from "sequelize";
import type sqlite3 from "sqlite3";
import { isPostgres } from "./connect.js";

/**
 * Plain SQL for the few statements every message and every API call runs. Through a model,
 * each one costs several times the database's own work in building, escaping, stack capture
 * and parsing; on the hot paths that overhead was most of what the service added to a send.
 * The rest of the code keeps the models.
 *
 * Statements are written once, with `?` placeholders and double-quoted names, and run on
 * SQLite's own connection (the one Sequelize uses outside transactions) or through
 * Sequelize's PostgreSQL pool. Values are stored exactly as the models store them, so both
 * paths read and compare the same rows.
 */
export interface Statements {
  /** Rows as the driver gives them; `valuesOf` turns one into a model's values. */
  all<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
  /** Runs a write and answers how many rows it changed. */
  run(sql: string, params: unknown[]): Promise<number>;
  /** Lets go of what it holds on the connection; called before the database is closed. */
  close(): Promise<void>;
}

/** Prepared statements kept per SQLite connection. */
const PREPARED_LIMIT = 64;

export function statementsFor(sequelize: Sequelize): Statements {
  return isPostgres(sequelize) ? postgresStatements(sequelize) : sqliteStatements(sequelize);
}

/** `?, ?, ?` for a list of values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}

/**
 * A row read by plain SQL, or values read from one, as an instance of the model of its own, as
 * a query through the model would give.
 */
export function rowOf<M extends Model>(model: ModelStatic<M>, raw: Record<string, unknown>): M {
  return model.build(valuesOf(model, raw) as M["_creationAttributes"], {
    isNewRecord: false,
    raw: true,
  });
}

/**
 * A row read by plain SQL as the model's values: dates as Date and booleans as boolean, which
 * SQLite stores as text and integers. Columns the model does not know are dropped.
 */
export function valuesOf<M extends Model>(
  model: ModelStatic<M>,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const values = new RowValues() as Record<string, unknown>;
  for (const [name, kind] of columnsOf(model)) {
    const value = raw[name];
    if (value === undefined) continue;
    if (value === null) values[name] = null;
    else if (kind === "date") values[name] = new Date(value as string);
    else if (kind === "boolean") values[name] = Boolean(value);
    else values[name] = value;
  }
  return values;
}

/**
 * What valuesOf fills: made by a constructor, not an object literal. V8 decides for each
 * literal in the code whether the objects it makes start out in the old generation, from how
 * many of them outlived young collections; in a burst, where reads shared by thousands of
 * waiting sends do, it decided so for this one. The reads of each delivery, dropped within
 * milliseconds, then piled up there until a full collection: about 14 MB over 10,000
 * deliveries in a heap profile. That decision is not made for objects made by `new`.
 */
class RowValues {}

type ColumnKind = "date" | "boolean" | "other";

const columnsByModel = new WeakMap<ModelStatic<Model>, [string, ColumnKind][]>();

/** A model's columns and how to read each, worked out once: every API call reads a row. */
function columnsOf(model: ModelStatic<Model>): [string, ColumnKind][] {
  let columns = columnsByModel.get(model);
  if (!columns) {
    columns = Object.entries(model.getAttributes()).map(([name, attribute]) => {
      if (attribute.type instanceof DataTypes.DATE) return [name, "date"];
      if (attribute.type instanceof DataTypes.BOOLEAN) return [name, "boolean"];
      return [name, "other"];
    });
    columnsByModel.set(model, columns);
  }
  return columns;
}

function sqliteStatements(sequelize: Sequelize): Statements {
  // Asked each time rather than kept: Sequelize opens it again after a close.
  const connection = () =>
    (sequelize.connectionManager as unknown as Manager).getConnection({}) as Promise<Database>;
  const prepared = new Map<Database, Map<string, Prepared>>();

  /**
   * Runs `work` with the statement for this SQL on the current connection, prepared once:
   * preparing and finalizing each time cost more than running a short statement. The most
   * recently used are kept; batches of other sizes are other SQL, so the oldest are let go,
   * once nothing is using them.
   */
  async function using<T>(sql: string, work: (made: sqlite3.Statement) => Promise<T>) {
    const db = await connection();
    let cache = prepared.get(db);
    if (!cache) prepared.set(db, (cache = new Map()));

    let entry = cache.get(sql);
    if (entry) cache.delete(sql);
    else entry = prepare(db, sql, cache);
    cache.set(sql, entry);
    entry.users += 1;
    evictOldest(cache);

    try {
      return await work(await entry.made);
    } finally {
      entry.users -= 1;
      if (entry.evicted && entry.users === 0) finalize(entry);
    }
  }

  return {
    all<T>(sql: string, params: unknown[]) {
      return using(
        sql,
        (made) =>
          new Promise<T[]>((resolve, reject) =>
            made.all(params.map(toSqlite), (error: Error | null, rows: T[]) =>
              error ? reject(error) : resolve(rows),
            ),
          ),
      );
    },
    run(sql: string, params: unknown[]) {
      return using(
        sql,
        (made) =>
          new Promise<number>((resolve, reject) =>
            made.run(params.map(toSqlite), function (this: sqlite3.RunResult, error) {
              if (error) reject(error);
              else resolve(this.changes);
            }),
          ),
      );
    },
    /** SQLite will not close a connection while statements prepared on it are open. */
    async close() {
      const entries = [...prepared.values()].flatMap((cache) => [...cache.values()]);
      prepared.clear();
      await Promise.all(entries.map(finalize));
    },
  };
}

interface Prepared {
  made: Promise<sqlite3.Statement>;
  users: number;
  evicted: boolean;
}

function prepare(db: Database, sql: string, cache: Map<string, Prepared>): Prepared {
  const made = new Promise<sqlite3.Statement>((resolve, reject) => {
    const statement = db.prepare(sql, (error) => (error ? reject(error) : resolve(statement)));
  });
  const entry = { made, users: 0, evicted: false };
  // SQL that does not prepare is not kept: the caller has its error, the next call tries again.
  made.catch(() => cache.get(sql) === entry && cache.delete(sql));
  return entry;
}

function evictOldest(cache: Map<string, Prepared>): void {
  if (cache.size <= PREPARED_LIMIT) return;
  const [sql, oldest] = cache.entries().next().value!;
  cache.delete(sql);
  oldest.evicted = true;
  if (oldest.users === 0) void finalize(oldest);
}

function finalize(entry: Prepared): Promise<void> {
  return entry.made.then(
    (made) => new Promise<void>((done) => made.finalize(() => done())),
    () => undefined,
  );
}

function postgresStatements(sequelize: Sequelize): Statements {
  return {
    async all<T>(sql: string, params: unknown[]) {
      const rows = await sequelize.query(numberPlaceholders(sql), {
        bind: params,
        type: QueryTypes.SELECT,
      });
      return rows as T[];
    },
    async run(sql: string, params: unknown[]) {
      const [, result] = await sequelize.query(numberPlaceholders(sql), {
        bind: params,
        type: QueryTypes.RAW,
      });
      return (result as { rowCount?: number } | undefined)?.rowCount ?? 0;
    },
    async close() {},
  };
}

/** Turns `?` into PostgreSQL's `$1`, `$2`…, leaving quoted text and names alone. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (token) =>
    token === "?" ? `$${(n += 1)}` : token,
  );
}

/** A date as Sequelize's SQLite dialect writes it (UTC), so that text comparisons hold. */
function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("T", " ").replace("Z", " +00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

type Database = sqlite3.Database;

interface Manager {
  getConnection(options: object): Promise<unknown>;
}
