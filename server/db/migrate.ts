import { QueryTypes, type QueryInterface, type Sequelize } from "sequelize";
import type { Umzug } from "umzug";
import { isPostgres } from "./connect.js";
import * as initial from "./migrations/001-initial.js";
import * as oauthConsent from "./migrations/002-oauth-consent.js";

/** Every migration, in order. Listed here rather than globbed so that builds carry them. */
const MIGRATIONS = [initial, oauthConsent];

/** The key of the PostgreSQL advisory lock held while migrating ("mail" in ASCII). */
const MIGRATION_LOCK_KEY = 0x6d61696c;

/** The table in which umzug records the migrations that ran. */
const MIGRATIONS_TABLE = "schema_migrations";

export async function migrate(sequelize: Sequelize): Promise<void> {
  if (await allApplied(sequelize)) return;

  // Loaded only when there is work: umzug brings its command-line tool along, several
  // megabytes of code that a process would otherwise hold for nothing.
  const { SequelizeStorage, Umzug } = await import("umzug");
  const umzug = new Umzug({
    migrations: MIGRATIONS.map(({ name, up, down }) => ({ name, up, down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: MIGRATIONS_TABLE }),
    logger: undefined,
  });

  if (isPostgres(sequelize)) return migrateUnderLock(sequelize, umzug);

  // Two processes sharing one SQLite file may start together. The loser of that race fails on
  // a table or index that the winner has just made; it waits for the winner to record the
  // migrations instead of running them twice.
  try {
    await umzug.up();
  } catch (error) {
    for (let waited = 0; waited < 20_000; waited += 250) {
      await new Promise((settle) => setTimeout(settle, 250));
      if ((await umzug.pending()).length === 0) return;
    }
    throw error;
  }
}

/**
 * Instances starting together on one PostgreSQL database take turns: the first migrates while
 * the others wait on the lock, then find nothing pending. The lock belongs to a transaction on
 * one pooled connection and is released when it ends, even if the process dies; the
 * migrations themselves run on other connections of the pool, outside that transaction.
 */
async function migrateUnderLock(sequelize: Sequelize, umzug: Umzug<QueryInterface>): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    await sequelize.query("SELECT pg_advisory_xact_lock(:key)", {
      replacements: { key: MIGRATION_LOCK_KEY },
      transaction,
    });
    await umzug.up();
  });
}

/** Whether every migration is recorded already, as at nearly every start. */
async function allApplied(sequelize: Sequelize): Promise<boolean> {
  const rows = await sequelize
    .query<{ name: string }>(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`, {
      type: QueryTypes.SELECT,
    })
    // A new database has no such table yet; umzug makes it.
    .catch(() => []);
  const applied = new Set(rows.map((row) => row.name));
  return MIGRATIONS.every(({ name }) => applied.has(name));
}
