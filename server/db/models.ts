import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from "sequelize";

export type MailboxStatus = "created" | "configured" | "active" | "inactive";
export type MailboxMethod = "smtp" | "google" | "microsoft";

/**
 * A mailbox's stored values without a model instance, for code that only reads them: a
 * delivery, an answer. A MailboxRow is one too.
 */
export type MailboxValues = Readonly<InferAttributes<MailboxRow>>;

export class MailboxRow extends Model<
  InferAttributes<MailboxRow>,
  InferCreationAttributes<MailboxRow>
> {
  declare id: string;
  declare tenant: string;
  declare displayName: string;
  declare address: string;
  declare status: MailboxStatus;
  declare method: MailboxMethod | null;
  declare smtpHost: string | null;
  declare smtpPort: number | null;
  declare smtpSecure: boolean | null;
  declare smtpUsername: string | null;
  /** Sealed by the SecretBox: an SMTP password, or OAuth tokens. Never plain. */
  declare credentials: string | null;
  declare account: string | null;
  /** Grows with every change of connection, so work begun on an older one can be told apart. */
  declare connectionVersion: CreationOptional<number>;
  declare lastErrorCode: string | null;
  declare lastErrorMessage: string | null;
  declare lastErrorAt: Date | null;
  /** The admin who last passed a test mail: told by mail when the mailbox is deactivated. */
  declare adminEmail: string | null;
  declare adminName: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare activatedAt: Date | null;
  declare deactivatedAt: Date | null;
}

export class MailboxEventRow extends Model<
  InferAttributes<MailboxEventRow>,
  InferCreationAttributes<MailboxEventRow>
> {
  declare id: CreationOptional<number>;
  declare tenant: string;
  declare type: string;
  declare detail: string | null;
  declare at: Date;
}

export type OutboxStatus = "queued" | "sent" | "failed";

export class OutboxRow extends Model<
  InferAttributes<OutboxRow>,
  InferCreationAttributes<OutboxRow>
> {
  declare id: string;
  declare tenant: string;
  declare status: OutboxStatus;
  declare via: "mailbox" | "default" | null;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date;
  declare lockedBy: string | null;
  declare lockedUntil: Date | null;
  /** The sealed message, kept only until it is sent or has failed for good. */
  declare payload: string | null;
  declare messageId: string;
  declare lastErrorCode: string | null;
  declare lastErrorMessage: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare sentAt: Date | null;
}

export interface Models {
  Mailbox: ModelStatic<MailboxRow>;
  MailboxEvent: ModelStatic<MailboxEventRow>;
  Outbox: ModelStatic<OutboxRow>;
}

/**
 * Defines the models on one connection. The classes above only give them their types: they
 * are not initialised, so several integrations in one process each keep their own database.
 * The schema itself belongs to the migrations; these definitions only describe it.
 */
export function defineModels(sequelize: Sequelize): Models {
  const nullable = (type: DataTypes.DataType) => ({ type, allowNull: true });

  const Mailbox = sequelize.define<MailboxRow>(
    "Mailbox",
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      tenant: { type: DataTypes.STRING(200), allowNull: false, unique: true },
      displayName: { type: DataTypes.STRING(200), allowNull: false },
      address: { type: DataTypes.STRING(320), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      method: nullable(DataTypes.STRING(20)),
      smtpHost: nullable(DataTypes.STRING(253)),
      smtpPort: nullable(DataTypes.INTEGER),
      smtpSecure: nullable(DataTypes.BOOLEAN),
      smtpUsername: nullable(DataTypes.STRING(320)),
      credentials: nullable(DataTypes.TEXT),
      account: nullable(DataTypes.STRING(320)),
      connectionVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lastErrorCode: nullable(DataTypes.STRING(64)),
      lastErrorMessage: nullable(DataTypes.TEXT),
      lastErrorAt: nullable(DataTypes.DATE),
      adminEmail: nullable(DataTypes.STRING(320)),
      adminName: nullable(DataTypes.STRING(200)),
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
      activatedAt: nullable(DataTypes.DATE),
      deactivatedAt: nullable(DataTypes.DATE),
    },
    { tableName: "mailboxes" },
  );

  const MailboxEvent = sequelize.define<MailboxEventRow>(
    "MailboxEvent",
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenant: { type: DataTypes.STRING(200), allowNull: false },
      type: { type: DataTypes.STRING(64), allowNull: false },
      detail: nullable(DataTypes.TEXT),
      at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: "mailbox_events", timestamps: false },
  );

  const Outbox = sequelize.define<OutboxRow>(
    "Outbox",
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      tenant: { type: DataTypes.STRING(200), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      via: nullable(DataTypes.STRING(20)),
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE, allowNull: false },
      lockedBy: nullable(DataTypes.STRING(64)),
      lockedUntil: nullable(DataTypes.DATE),
      payload: nullable(DataTypes.TEXT),
      messageId: { type: DataTypes.STRING(998), allowNull: false },
      lastErrorCode: nullable(DataTypes.STRING(64)),
      lastErrorMessage: nullable(DataTypes.TEXT),
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
      sentAt: nullable(DataTypes.DATE),
    },
    { tableName: "outbox_messages" },
  );

  return { Mailbox, MailboxEvent, Outbox };
}
