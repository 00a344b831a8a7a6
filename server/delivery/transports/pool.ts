import type { MailboxValues } from "../../db/models.js";
import type { Connection } from "./smtp.js";

export type ConnectionOpener = (mailbox: MailboxValues) => Promise<Connection>;

/**
 * Keeps one open connection per mailbox and reuses it for every message, replacing it when
 * the mailbox's connection settings change (its connectionVersion grows) and closing it when
 * the mailbox is deleted.
 */
export class ConnectionPool {
  private readonly entries = new Map<
    string,
    { version: number; connection: Promise<Connection> }
  >();

  constructor(private readonly open: ConnectionOpener) {}

  get(mailbox: MailboxValues): Promise<Connection> {
    const entry = this.entries.get(mailbox.id);
    if (entry && entry.version === mailbox.connectionVersion) return entry.connection;
    if (entry) this.close(mailbox.id);

    const connection = this.open(mailbox);
    this.entries.set(mailbox.id, { version: mailbox.connectionVersion, connection });
    // A connection that could not be opened (a refused host, say) is not kept, so the next
    // message tries again instead of meeting the same stored failure.
    connection.catch(() => {
      if (this.entries.get(mailbox.id)?.connection === connection) this.entries.delete(mailbox.id);
    });
    return connection;
  }

  close(mailboxId: string): void {
    const entry = this.entries.get(mailboxId);
    this.entries.delete(mailboxId);
    entry?.connection.then((open) => open.transporter.close()).catch(() => {});
  }

  closeAll(): void {
    for (const id of [...this.entries.keys()]) this.close(id);
  }
}
