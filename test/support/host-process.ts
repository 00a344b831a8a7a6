/**
 * A host backend in its own process: opens the integration on the database file named in
 * argv and sends a batch of messages for one tenant, printing the results as JSON. Used to
 * show that the host's process and the server's can share one SQLite file.
 */
import { createEmailIntegration } from "../../server/integration.js";
import { testCa } from "./certs.js";

const [databaseFile, dataDir, tenant, count, secretKey, mode] = process.argv.slice(2);

const integration = await createEmailIntegration({
  environment: { NODE_ENV: "test" },
  env: "test",
  databaseUrl: `sqlite:${databaseFile}`,
  dataDir,
  secretKey,
  embedSecret: "unused-in-the-host-process",
  sessionSecret: "unused-in-the-host-process",
  smtpAllowPrivateHosts: true,
  smtpCa: testCa,
  // A short claim, so that a test which kills this process sees its claims run out soon.
  worker: { enabled: false, pollMs: 1000, batchSize: 20, leaseMs: 1_000 },
  google: null,
  microsoft: null,
});

const message = (i: number) => ({
  to: "employee@acme.example",
  subject: `host ${i}`,
  text: `message ${i}`,
});
const indexes = Array.from({ length: Number(count) }, (_, i) => i);

// "parallel" hands the whole batch over at once, as a busy host would; otherwise one by one.
const results = [];
if (mode === "parallel") {
  results.push(...(await Promise.all(indexes.map((i) => integration.send(tenant!, message(i))))));
} else {
  for (const i of indexes) results.push(await integration.send(tenant!, message(i)));
}
await integration.close();
process.stdout.write(JSON.stringify(results));
