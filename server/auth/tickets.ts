import { createHash, randomBytes } from "node:crypto";
import {
  DataTypes,
  Model,
  Op,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from "sequelize";
import type { OAuthProvider } from "./grant.js";

/** The consent address works this long, and once. */
export const TICKET_LIFETIME_MS = 5 * 60_000;

/** What the consent address stands for: never the embed token itself. */
export interface Ticket {
  tenant: string;
  mailboxId: string;
  provider: OAuthProvider;
  /** The host page that asked, to which the popup reports; null when it was not told. */
  origin: string | null;
}

class TicketRow extends Model<InferAttributes<TicketRow>, InferCreationAttributes<TicketRow>> {
  /** The SHA-256 of the ticket: the table alone does not give a usable address. */
  declare id: string;
  declare tenant: string;
  declare mailboxId: string;
  declare provider: OAuthProvider;
  declare origin: string | null;
  declare expiresAt: Date;
}

/**
 * Single-use consent tickets, kept in the database so that the popup may land on any instance
 * of the service. Redeeming deletes the row: of two tabs racing with one address, one wins.
 */
export class Tickets {
  private readonly rows: ModelStatic<TicketRow>;

  constructor(sequelize: Sequelize) {
    this.rows = sequelize.define<TicketRow>(
      "OAuthTicket",
      {
        id: { type: DataTypes.STRING(64), primaryKey: true },
        tenant: { type: DataTypes.STRING(200), allowNull: false },
        mailboxId: { type: DataTypes.STRING(36), allowNull: false },
        provider: { type: DataTypes.STRING(20), allowNull: false },
        origin: { type: DataTypes.STRING(300), allowNull: true },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
      },
      { tableName: "oauth_tickets", timestamps: false },
    );
  }

  async issue(ticket: Ticket): Promise<string> {
    const secret = randomBytes(32).toString("base64url");
    await this.rows.destroy({ where: { expiresAt: { [Op.lt]: new Date() } } });

    await this.rows.create({
      id: digest(secret),
      ...ticket,
      expiresAt: new Date(Date.now() + TICKET_LIFETIME_MS),
    });
    return secret;
  }

  async redeem(secret: unknown): Promise<Ticket | null> {
    if (typeof secret !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
    const id = digest(secret);

    const row = await this.rows.findByPk(id);
    if (!row) return null;
    const taken = await this.rows.destroy({ where: { id } });

    if (taken !== 1 || !(new Date(row.expiresAt).getTime() > Date.now())) return null;
    return {
      tenant: row.tenant,
      mailboxId: row.mailboxId,
      provider: row.provider,
      origin: row.origin,
    };
  }
}

function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
