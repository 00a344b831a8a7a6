import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Loopback HTTPS servers in tests (the fake Microsoft identity platform among them) present
// certificates of the test CA. passport-azure-ad fetches its metadata with Node's own https
// module, which only a process-wide extra CA reaches; the test workers inherit it.
process.env.NODE_EXTRA_CA_CERTS = fileURLToPath(
  new URL("./test/support/certs/ca.pem", import.meta.url),
);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Servers on loopback and database files make tests slow to start but not to run; two
    // workers match the two cores of the machines this runs on.
    maxWorkers: 2,
  },
});
