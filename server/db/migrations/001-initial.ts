import { DataTypes, type QueryInterface } from "sequelize";

export const name = "001-initial";

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.createTable("mailboxes", {
    id: { type: DataTypes.STRING(36), primaryKey: true },
    tenant: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    displayName: { type: DataTypes.STRING(200), allowNull: false },
    address: { type: DataTypes.STRING(320), allowNull: false },
    status: { type: DataTypes.STRING(20), allowNull: false },
    method: { type: DataTypes.STRING(20), allowNull: true },
    smtpHost: { type: DataTypes.STRING(253), allowNull: true },
    smtpPort: { type: DataTypes.INTEGER, allowNull: true },
    smtpSecure: { type: DataTypes.BOOLEAN, allowNull: true },
    smtpUsername: { type: DataTypes.STRING(320), allowNull: true },
    credentials: { type: DataTypes.TEXT, allowNull: true },
    account: { type: DataTypes.STRING(320), allowNull: true },
    connectionVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    lastErrorCode: { type: DataTypes.STRING(64), allowNull: true },
    lastErrorMessage: { type: DataTypes.TEXT, allowNull: true },
    lastErrorAt: { type: DataTypes.DATE, allowNull: true },
    adminEmail: { type: DataTypes.STRING(320), allowNull: true },
    adminName: { type: DataTypes.STRING(200), allowNull: true },
    createdAt: { type: DataTypes.DATE, allowNull: false },
    updatedAt: { type: DataTypes.DATE, allowNull: false },
    activatedAt: { type: DataTypes.DATE, allowNull: true },
    deactivatedAt: { type: DataTypes.DATE, allowNull: true },
  });

  await db.createTable("mailbox_events", {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    tenant: { type: DataTypes.STRING(200), allowNull: false },
    type: { type: DataTypes.STRING(64), allowNull: false },
    detail: { type: DataTypes.TEXT, allowNull: true },
    at: { type: DataTypes.DATE, allowNull: false },
  });
  await db.addIndex("mailbox_events", ["tenant", "at"]);

  await db.createTable("outbox_messages", {
    id: { type: DataTypes.STRING(36), primaryKey: true },
    tenant: { type: DataTypes.STRING(200), allowNull: false },
    status: { type: DataTypes.STRING(20), allowNull: false },
    via: { type: DataTypes.STRING(20), allowNull: true },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    nextAttemptAt: { type: DataTypes.DATE, allowNull: false },
    lockedBy: { type: DataTypes.STRING(64), allowNull: true },
    lockedUntil: { type: DataTypes.DATE, allowNull: true },
    payload: { type: DataTypes.TEXT, allowNull: true },
    messageId: { type: DataTypes.STRING(998), allowNull: false },
    lastErrorCode: { type: DataTypes.STRING(64), allowNull: true },
    lastErrorMessage: { type: DataTypes.TEXT, allowNull: true },
    createdAt: { type: DataTypes.DATE, allowNull: false },
    updatedAt: { type: DataTypes.DATE, allowNull: false },
    sentAt: { type: DataTypes.DATE, allowNull: true },
  });
  await db.addIndex("outbox_messages", ["status", "nextAttemptAt"]);
  await db.addIndex("outbox_messages", ["tenant", "createdAt"]);
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.dropTable("outbox_messages");
  await db.dropTable("mailbox_events");
  await db.dropTable("mailboxes");
}
