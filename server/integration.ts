import type { Express } from "express";
import { oauthDrivers } from "./auth/drivers.js";
import { methodUnavailable } from "./auth/errors.js";
import type { OAuthProvider } from "./auth/grant.js";
import { loadConfig, type Config, type ConfigOptions } from "./config.js";
import type { Context } from "./context.js";
import { resealCredentials } from "./crypto/reseal.js";
import { SecretBox } from "./crypto/secret-box.js";
import { connect } from "./db/connect.js";
import { migrate } from "./db/migrate.js";
import { defineModels } from "./db/models.js";
import { statementsFor } from "./db/statements.js";
import type { SendResult } from "./delivery/deliver.js";
import type { OutgoingMessage } from "./delivery/message.js";
import { send } from "./delivery/send.js";
import { openDefaultConnection } from "./delivery/transports/default.js";
import { ConnectionPool } from "./delivery/transports/pool.js";
import { smtpDriver } from "./delivery/transports/smtp.js";
import { startWorker, type Worker } from "./delivery/worker.js";
import { createApp } from "./http/app.js";
import { createLogger, type Logger } from "./log.js";

export interface IntegrationOptions extends ConfigOptions {
  /** Read instead of process.env, for the options not given here. */
  environment?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface EmailIntegration {
  /** The Express app, to listen on or to mount. */
  app: Express;
  /** Sends one message of a tenant through its mailbox, or the default one (DESIGN.md). */
  send(tenantId: string, message: OutgoingMessage): Promise<SendResult>;
  /** Delivers whatever in the outbox is due now, without waiting for the worker's next turn. */
  flush(): Promise<number>;
  config: Config;
  close(): Promise<void>;
}

/** Builds the whole service: database (migrated), connections, outbox worker and HTTP app. */
export async function createEmailIntegration(
  options: IntegrationOptions = {},
): Promise<EmailIntegration> {
  const config = loadConfig(options.environment ?? process.env, options);
  const log = options.logger ?? createLogger(config.logLevel);
  const sequelize = await connect(config.databaseUrl);
  await migrate(sequelize);

  const box = new SecretBox(config.secretKeys.current, config.secretKeys.previous);
  const models = defineModels(sequelize);
  const drivers: Context["drivers"] = {
    smtp: smtpDriver(config, box),
    ...oauthDrivers(config, { models, box }),
  };
  const connections = new ConnectionPool(async (mailbox) => {
    const driver = mailbox.method ? drivers[mailbox.method] : undefined;
    // A mailbox connected by Google or Microsoft on a server whose client was since removed.
    if (!driver) throw methodUnavailable(mailbox.method as OAuthProvider);
    return driver.open(mailbox);
  });
  const ctx: Context = {
    config,
    log,
    sequelize,
    models,
    statements: statementsFor(sequelize),
    box,
    drivers,
    connections,
    defaultConnection: openDefaultConnection(config),
  };

  await resealCredentials(ctx);
  const app = await createApp(ctx);
  const worker: Worker = startWorker(ctx);
  let closing: Promise<void> | null = null;

  return {
    app,
    config,
    send: (tenantId, message) => send(ctx, tenantId, message),
    flush: () => worker.runOnce(),
    close() {
      closing ??= (async () => {
        await worker.stop();
        connections.closeAll();
        ctx.defaultConnection.transporter.close();
        await ctx.statements.close();
        await sequelize.close();
      })();
      return closing;
    },
  };
}
