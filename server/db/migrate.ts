import type { Sequelize } from "sequelize";
import { SequelizeStorage, Umzug } from "umzug";
import * as initial from "./migrations/001-initial.js";
import * as oauthConsent from "./migrations/002-oauth-consent.js";

/** Every migration, in order. Listed here rather than globbed so that builds carry them. */
const MIGRATIONS = [initial, oauthConsent];

export async function migrate(sequelize: Sequelize): Promise<void> {
  const umzug = new Umzug({
    migrations: MIGRATIONS.map(({ name, up, down }) => ({ name, up, down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: "schema_migrations" }),
    logger: undefined,
  });

  // Two processes sharing one database may start together. The loser of that race fails on
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
