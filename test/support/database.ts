import sqlite3 from "sqlite3";

/** Reads a test's SQLite file from the side, as an operator with a shell would. */
export function queryFile<T = Record<string, unknown>>(
  file: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
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
