import type { Sequelize } from "sequelize";
import type { Config } from "./config.js";
import type { SecretBox } from "./crypto/secret-box.js";
import type { MailboxMethod, MailboxValues, Models } from "./db/models.js";
import type { Statements } from "./db/statements.js";
import type { ConnectionPool } from "./delivery/transports/pool.js";
import type { Connection } from "./delivery/transports/smtp.js";
import type { Logger } from "./log.js";

/**
 * How one connection method opens connections and lets go of a mailbox. SMTP is built in;
 * the OAuth methods add theirs when their client is configured.
 */
export interface MethodDriver {
  open(mailbox: MailboxValues): Promise<Connection>;
  /**
   * Called when the mailbox is deleted or its method replaced: revoke grants, if any. What it
   * returns is the history's account of what was done.
   */
  release?(mailbox: MailboxValues): Promise<Release>;
}

/** What letting go did: revoked at the provider, or only erased here (with why, for the history). */
export interface Release {
  revoked: boolean;
  detail: string;
}

/**
 * State kept once per database (per set of models), made at its first use: the batchers, turns
 * and counts that every caller of one service shares, without a field on the context for each.
 */
export function perDatabase<T>(make: (ctx: Context) => T): (ctx: Context) => T {
  const made = new WeakMap<Models, T>();
  return (ctx) => {
    let value = made.get(ctx.models);
    if (value === undefined) {
      value = make(ctx);
      made.set(ctx.models, value);
    }
    return value;
  };
}

/** Everything a use case needs, built once by createEmailIntegration. */
export interface Context {
  config: Config;
  log: Logger;
  sequelize: Sequelize;
  models: Models;
  /** Plain SQL for the statements every send and API call runs. */
  statements: Statements;
  box: SecretBox;
  drivers: Partial<Record<MailboxMethod, MethodDriver>>;
  connections: ConnectionPool;
  defaultConnection: Connection;
}
