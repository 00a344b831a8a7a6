import { DataTypes, type QueryInterface } from "sequelize";

export const name = "002-oauth-consent";

/**
 * What a Gmail or Microsoft consent needs between its start and the provider's return: the
 * single-use start tickets, and the sessions of connect-session-sequelize (its own columns).
 */
export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.createTable("oauth_tickets", {
    id: { type: DataTypes.STRING(64), primaryKey: true },
    tenant: { type: DataTypes.STRING(200), allowNull: false },
    mailboxId: { type: DataTypes.STRING(36), allowNull: false },
    provider: { type: DataTypes.STRING(20), allowNull: false },
    origin: { type: DataTypes.STRING(300), allowNull: true },
    expiresAt: { type: DataTypes.DATE, allowNull: false },
  });
  await db.addIndex("oauth_tickets", ["expiresAt"]);

  await db.createTable("oauth_sessions", {
    sid: { type: DataTypes.STRING(36), primaryKey: true },
    expires: { type: DataTypes.DATE, allowNull: true },
    data: { type: DataTypes.TEXT, allowNull: true },
    createdAt: { type: DataTypes.DATE, allowNull: false },
    updatedAt: { type: DataTypes.DATE, allowNull: false },
  });
  await db.addIndex("oauth_sessions", ["expires"]);
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.dropTable("oauth_sessions");
  await db.dropTable("oauth_tickets");
}
