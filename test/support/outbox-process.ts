/**
 * Another instance of the service in its own process, for tests of several instances on one
 * database: opens the integration on the DATABASE_URL in argv, says "ready", and on a line of
 * standard input delivers until the outbox holds nothing queued, printing how many it took.
 */
import { once } from "node:events";
import { createEmailIntegration } from "../../server/integration.js";
import { testCa } from "./certs.js";
import { deliverWhileQueued } from "./shared-outbox.js";

const [databaseUrl, dataDir, secretKey] = process.argv.slice(2);

const integration = await createEmailIntegration({
  environment: { NODE_ENV: "test" },
  env: "test",
  databaseUrl,
  dataDir,
  secretKey,
  embedSecret: "unused-in-this-process",
  sessionSecret: "unused-in-this-process",
  publicUrl: "http://127.0.0.1:3000",
  smtpAllowPrivateHosts: true,
  smtpCa: testCa,
  worker: { enabled: false, pollMs: 1000, batchSize: 20, leaseMs: 30_000 },
  google: null,
  microsoft: null,
});

process.stdout.write("ready\n");
await once(process.stdin, "data");
process.stdin.destroy();

const delivered = await deliverWhileQueued(integration, databaseUrl!);
await integration.close();
process.stdout.write(JSON.stringify({ delivered }) + "\n");
