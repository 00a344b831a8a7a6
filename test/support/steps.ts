import { expect } from "vitest";
import type { Harness } from "./harness.js";

export interface SmtpFields {
  host?: string;
  port: number;
  secure?: boolean;
  username?: string;
  password?: string;
}

/** The admin's steps through the API, for tests whose subject comes after them. */
export function adminOf(h: Harness, token: string) {
  const bearer = { type: "bearer" } as const;
  return {
    token,
    get: () => h.request.get("/api/mailbox").auth(token, bearer),
    events: () => h.request.get("/api/mailbox/events").auth(token, bearer),
    create: (address: string, displayName = "Acme People") =>
      h.request.post("/api/mailbox").auth(token, bearer).send({ displayName, address }),
    smtp: (fields: SmtpFields) =>
      h.request
        .put("/api/mailbox/smtp")
        .auth(token, bearer)
        .send({ host: "localhost", secure: true, username: "hr", password: "pw", ...fields }),
    test: () => h.request.post("/api/mailbox/test").auth(token, bearer),
    remove: () => h.request.delete("/api/mailbox").auth(token, bearer),
  };
}

/** Creates a mailbox for `tenant`, connects it by SMTP and passes a test mail. */
export async function activeSmtpMailbox(
  h: Harness,
  tenant: string,
  address: string,
  smtp: SmtpFields,
): Promise<string> {
  const token = await h.token(tenant, { email: "ida@acme.example", name: "Ida" });
  const admin = adminOf(h, token);
  await admin.create(address).expect(201);
  await admin.smtp(smtp).expect(200);
  const tested = await admin.test();
  expect(tested.body).toMatchObject({ ok: true, mailbox: { status: "active" } });
  return token;
}
