import { randomUUID } from "node:crypto";
import { Op, type Sequelize } from "sequelize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../server/db/connect.js";
import { defineModels, type Models } from "../../server/db/models.js";
import {
  numberPlaceholders,
  rowOf,
  statementsFor,
  type Statements,
} from "../../server/db/statements.js";
import { startHarness, type Harness } from "../support/harness.js";

let h: Harness;
let sequelize: Sequelize;
let models: Models;
let statements: Statements;

beforeAll(async () => {
  h = await startHarness();
  sequelize = await connect(h.databaseUrl);
  models = defineModels(sequelize);
  statements = statementsFor(sequelize);
});
afterAll(async () => {
  await statements.close();
  await sequelize.close();
  await h.close();
});

const at = new Date("2026-05-04T03:02:01.234Z");

function mailbox(tenant: string) {
  return {
    id: randomUUID(),
    tenant,
    displayName: "Acme HR",
    address: `hr@${tenant}.example`,
    status: "active" as const,
    smtpSecure: true,
    createdAt: at,
    updatedAt: at,
    activatedAt: at,
  };
}

describe("plain statements", () => {
  it("write dates and booleans that the models read back as they would have written them", async () => {
    const written = mailbox("plain-writes");
    const columns = Object.keys(written);

    await statements.run(
      `INSERT INTO "mailboxes" (${columns.map((c) => `"${c}"`).join(", ")})
       VALUES (${columns.map(() => "?").join(", ")})`,
      Object.values(written),
    );
    const read = await models.Mailbox.findOne({ where: { tenant: "plain-writes" } });

    expect(read?.smtpSecure).toBe(true);
    expect(read?.createdAt).toEqual(at);
    expect(read?.activatedAt).toEqual(at);
    expect(read?.deactivatedAt).toBeNull();
  });

  it("read rows the models wrote as the models read them", async () => {
    await models.Mailbox.create({ ...mailbox("model-writes"), smtpSecure: false });
    const byModel = await models.Mailbox.findOne({ where: { tenant: "model-writes" } });

    const [raw] = await statements.all(`SELECT * FROM "mailboxes" WHERE "tenant" = ?`, [
      "model-writes",
    ]);
    const read = rowOf(models.Mailbox, raw!);

    expect(read.get({ plain: true })).toEqual(byModel?.get({ plain: true }));
    expect(read.smtpSecure).toBe(false);
    expect(read.isNewRecord).toBe(false);
  });

  it("store times that the models' comparisons order correctly", async () => {
    const earlier = new Date(at.getTime() - 1);
    const later = new Date(at.getTime() + 1);

    for (const [tenant, when] of [
      ["compare-earlier", earlier],
      ["compare-later", later],
    ] as const) {
      await statements.run(
        `INSERT INTO "mailboxes" ("id", "tenant", "displayName", "address", "status",
                                  "createdAt", "updatedAt", "activatedAt")
         VALUES (?, ?, 'A', 'a@a.example', 'active', ?, ?, ?)`,
        [randomUUID(), tenant, when, when, when],
      );
    }
    const found = await models.Mailbox.findAll({
      where: { tenant: { [Op.like]: "compare-%" }, activatedAt: { [Op.lte]: at } },
    });

    expect(found.map((row) => row.tenant)).toEqual(["compare-earlier"]);
  });

  it("answer how many rows a write changed", async () => {
    const update = `UPDATE "mailboxes" SET "status" = 'inactive' WHERE "tenant" IN (?, ?)`;

    expect(await statements.run(update, ["plain-writes", "model-writes"])).toBe(2);
    expect(await statements.run(update, ["nobody", "nobody-else"])).toBe(0);
  });
});

describe("prepared statements", () => {
  it("serve many different statements at once, the oldest let go while others still run", async () => {
    const queries = Array.from({ length: 200 }, (_, size) =>
      statements.all<{ n: number }>(
        `SELECT COUNT(*) AS "n" FROM "mailboxes" WHERE "tenant" IN (${Array(size + 1)
          .fill("?")
          .join(", ")})`,
        Array.from({ length: size + 1 }, (_, index) => (index === 0 ? "plain-writes" : "nobody")),
      ),
    );

    const answers = await Promise.all(queries);

    expect(answers.map(([row]) => Number(row!.n))).toEqual(Array(200).fill(1));
  });

  it("answer SQL that does not prepare with its error, and go on with the next", async () => {
    await expect(statements.all(`SELECT * FROM "no_such_table"`, [])).rejects.toThrow(
      /no_such_table/,
    );

    expect(await statements.all(`SELECT 1 AS "one"`, [])).toEqual([{ one: 1 }]);
  });
});

describe("placeholders for PostgreSQL", () => {
  it("are numbered in order, leaving question marks in quoted text and names alone", () => {
    expect(numberPlaceholders(`SELECT "a?" FROM t WHERE b = ? AND c = '?' AND d IN (?, ?)`)).toBe(
      `SELECT "a?" FROM t WHERE b = $1 AND c = '?' AND d IN ($2, $3)`,
    );
  });
});
