import { describe, expect, it } from "vitest";
import { queryFile } from "../support/database.js";
import { startHarness } from "../support/harness.js";

const count = async (file: string) =>
  (await queryFile<{ n: number }>(file, "SELECT COUNT(*) AS n FROM outbox_messages"))[0]!.n;

describe("outbox retention", () => {
  it("forgets finished messages once they are older than the retention period", async () => {
    const h = await startHarness({ outboxRetentionDays: 0 });
    try {
      await h.integration.send("kept", { to: "e@kept.example", subject: "s", text: "t" });
      expect(await count(h.databaseFile)).toBe(1);

      await h.integration.flush();

      expect(await count(h.databaseFile)).toBe(0);
    } finally {
      await h.close();
    }
  });

  it("keeps them within the period (30 days by default)", async () => {
    const h = await startHarness();
    try {
      await h.integration.send("kept", { to: "e@kept.example", subject: "s", text: "t" });

      await h.integration.flush();

      expect(h.integration.config.outboxRetentionDays).toBe(30);
      expect(await count(h.databaseFile)).toBe(1);
    } finally {
      await h.close();
    }
  });
});
