import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import { testCa } from "../../test/support/certs.js";
import { notification } from "./message.js";

export type Route = "mailbox" | "default";

const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
const safety = { disableFileAccess: true, disableUrlAccess: true };

/**
 * The baseline: Nodemailer called directly, with the pool and TLS settings that the service
 * gives its own transport for that route (server/delivery/transports), written out as a host
 * would write them. Sends the same messages, with a Message-ID of the same shape.
 */
export function rawSender(route: Route, sinkPort: number, defaultFrom: string) {
  const transport =
    route === "mailbox"
      ? nodemailer.createTransport({
          pool: true,
          maxConnections: 3,
          maxMessages: 100,
          host: "127.0.0.1",
          port: sinkPort,
          secure: false,
          auth: { user: "hr@acme.example", pass: "bench-password" },
          tls: { ca: testCa, rejectUnauthorized: true, minVersion: "TLSv1.2" },
          ...timeouts,
          ...safety,
        })
      : nodemailer.createTransport({
          url: `smtp://127.0.0.1:${sinkPort}`,
          pool: true,
          maxConnections: 5,
          tls: { ca: testCa, minVersion: "TLSv1.2" },
          ...timeouts,
          ...safety,
        });
  const from = route === "mailbox" ? { name: "Acme HR", address: "hr@acme.example" } : defaultFrom;

  return {
    async send(index: number): Promise<void> {
      const messageId = `<${randomUUID()}@127.0.0.1>`;
      await transport.sendMail({ ...notification(index), from, messageId, ...safety });
    },
    close: () => transport.close(),
  };
}
