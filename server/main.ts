import { once } from "node:events";
import { ConfigError } from "./config.js";
import { startDemoSmtpServer } from "./demo/smtp-server.js";
import { createEmailIntegration } from "./integration.js";
import { createLogger } from "./log.js";

/** `npm start`: the service on PORT, and in development the demo SMTP server beside it. */
async function main(): Promise<void> {
  const integration = await createEmailIntegration();
  const { config } = integration;
  const log = createLogger(config.logLevel);

  const demoSmtp = config.demo.enabled ? await startDemoSmtpServer(config, log) : null;
  const server = integration.app.listen(config.port);
  await once(server, "listening");
  log.info(
    { port: config.port, url: config.publicUrl, env: config.env },
    "email integration listening",
  );
  if (config.demo.enabled)
    log.info(`demo: open ${config.publicUrl}/ (SMTP server 127.0.0.1:${config.demo.smtpPort})`);

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    server.close();
    demoSmtp?.close();
    await integration.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`configuration error: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
