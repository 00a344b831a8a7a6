import { defineConfig } from "vitest/config";

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
