import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AddressObject } from "mailparser";
import type { Config } from "../config.js";

export interface InboxMessage {
  id: string;
  source: "demo-smtp" | "default";
  receivedAt: string;
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
}

/** Where the demo SMTP server keeps what it receives. */
export function demoInboxFolder(config: Config): string {
  return join(config.dataDir, "demo-inbox");
}

/**
 * The mail that reached the demo SMTP server and the mail the default mailbox wrote as files,
 * newest first: what a person trying the demo wants to see arrive.
 */
export async function readDemoInbox(config: Config, limit = 50): Promise<InboxMessage[]> {
  const sources = [
    { source: "demo-smtp" as const, folder: demoInboxFolder(config) },
    { source: "default" as const, folder: join(config.dataDir, "mail") },
  ];
  const files = (
    await Promise.all(
      sources.map(async ({ source, folder }) =>
        (await readdir(folder).catch(() => []))
          .filter((name) => name.endsWith(".eml"))
          .map((name) => ({ source, name, path: join(folder, name) })),
      ),
    )
  ).flat();

  // File names start with the time of arrival, so the name orders them.
  const newest = files.sort((a, b) => b.name.localeCompare(a.name)).slice(0, limit);
  // Loaded here: only the demo reads mail back, and a host's process need not hold the parser.
  const { simpleParser } = await import("mailparser");
  return Promise.all(
    newest.map(async ({ source, name, path }) => {
      const mail = await simpleParser(await readFile(path));
      return {
        id: name.replace(/\.eml$/, ""),
        source,
        receivedAt: (mail.date ?? new Date()).toISOString(),
        from: addressText(mail.from),
        to: addressText(mail.to),
        replyTo: mail.replyTo ? addressText(mail.replyTo) : null,
        subject: mail.subject ?? "",
        text: (mail.text ?? "").slice(0, 4000),
      };
    }),
  );
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return "";
  return (Array.isArray(value) ? value : [value]).map((item) => item.text).join(", ");
}
