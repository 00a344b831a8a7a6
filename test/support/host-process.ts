/**
 * A host backend in its own process: opens the integration on the database file named in
 * argv and sends a batch of messages for one tenant, printing the results as JSON. Used to
 * show that the host's process and the server's can share one SQLite file.
 */
import { createEmailIntegration } from "../../server/integration.js";
import { testCa } from "./certs.js";

const [databaseFile, dataDir, tenant, count, secretKey] = process.argv.slice(2);

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
  worker: { enabled: false, pollMs: 1000, batchSize: 20, leaseMs: 30_000 },
  google: null,
  microsoft: null,
});

const results = [];
for (let i = 0; i < Number(count); i += 1) {
  results.push(
    await integration.send(tenant!, {
      to: "employee@acme.example",
      subject: `host ${i}`,
      text: `message ${i}`,
    }),
  );
}
await integration.close();
process.stdout.write(JSON.stringify(results));
