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
  /** Rows as the driver gives them; `rowOf` turns one into a model's values. */
  all<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
  /** Runs a write and answers how many rows it changed. */
  run(sql: string, params: unknown[]): Promise<number>;
}

export function statementsFor(sequelize: Sequelize): Statements {
  return isPostgres(sequelize) ? postgresStatements(sequelize) : sqliteStatements(sequelize);
}

/** `?, ?, ?` for a list of values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}

/**
 * A row read by plain SQL as the model would give it: dates as Date and booleans as boolean,
 * which SQLite stores as text and integers. Columns the model does not know are dropped.
 */
export function rowOf<M extends Model>(model: ModelStatic<M>, raw: Record<string, unknown>): M {
  const values: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(model.getAttributes())) {
    const value = raw[name];
    if (value === undefined) continue;
    if (value === null) values[name] = null;
    else if (attribute.type instanceof DataTypes.DATE) values[name] = new Date(value as string);
    else if (attribute.type instanceof DataTypes.BOOLEAN) values[name] = Boolean(value);
    else values[name] = value;
  }
  return model.build(values as M["_creationAttributes"], { isNewRecord: false, raw: true });
}

function sqliteStatements(sequelize: Sequelize): Statements {
  // Asked each time rather than kept: Sequelize opens it again after a close.
  const connection = () =>
    (sequelize.connectionManager as unknown as Manager).getConnection({}) as Promise<Database>;

  return {
    async all<T>(sql: string, params: unknown[]) {
      const db = await connection();
      return new Promise<T[]>((resolve, reject) =>
        db.all(sql, params.map(toSqlite), (error: Error | null, rows: T[]) =>
          error ? reject(error) : resolve(rows),
        ),
      );
    },
    async run(sql: string, params: unknown[]) {
      const db = await connection();
      return new Promise<number>((resolve, reject) =>
        db.run(sql, params.map(toSqlite), function (this: sqlite3.RunResult, error: Error | null) {
          if (error) reject(error);
          else resolve(this.changes);
        }),
      );
    },
  };
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
