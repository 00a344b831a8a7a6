import { Router, type Request, type Response } from "express";
import type { Context } from "../../context.js";
import { listEvents } from "../../mailbox/events.js";
import { saveSmtp } from "../../mailbox/connection.js";
import { createMailbox, deleteMailbox, readMailbox } from "../../mailbox/lifecycle.js";
import { createMailboxInput } from "../../mailbox/schemas.js";
import { toMailboxJson } from "../../mailbox/serialize.js";
import { sendTestMail } from "../../mailbox/test-mail.js";
import { mailboxExists } from "../../errors.js";
import { parse } from "../../validation.js";
import { adminOf } from "../middleware/authenticate.js";
import { perTenantLimit } from "../middleware/rate-limit.js";

/** Enough for an admin fixing settings by trial; too few to use us as a port scanner. */
const TEST_MAILS_PER_MINUTE = 10;

/** The mailbox API of DESIGN.md. The tenant always comes from the embed token. */
export function mailboxRoutes(ctx: Context): Router {
  const router = Router();

  router.get("/mailbox", async (req: Request, res: Response) => {
    const { tenant } = adminOf(req);

    const mailbox = await readMailbox(ctx, tenant);

    res.json({ mailbox: mailbox && toMailboxJson(mailbox), methods: availableMethods(ctx) });
  });

  router.post("/mailbox", async (req: Request, res: Response) => {
    const { tenant } = adminOf(req);
    const input = parse(createMailboxInput, req.body);
    if (await readMailbox(ctx, tenant)) throw mailboxExists();

    const mailbox = await createMailbox(ctx, tenant, input);

    res.status(201).json({ mailbox: toMailboxJson(mailbox) });
  });

  router.delete("/mailbox", async (req: Request, res: Response) => {
    const { tenant } = adminOf(req);

    await deleteMailbox(ctx, tenant);

    res.status(204).end();
  });

  router.put("/mailbox/smtp", async (req: Request, res: Response) => {
    const { tenant } = adminOf(req);

    const mailbox = await saveSmtp(ctx, tenant, req.body);

    res.json({ mailbox: toMailboxJson(mailbox) });
  });

  router.post(
    "/mailbox/test",
    perTenantLimit(TEST_MAILS_PER_MINUTE),
    async (req: Request, res: Response) => {
      const admin = adminOf(req);

      const outcome = await sendTestMail(ctx, admin.tenant, admin);

      if (outcome.ok) {
        res.json({ ok: true, mailbox: toMailboxJson(outcome.mailbox) });
        return;
      }
      const { code, message } = outcome.failure;
      res
        .status(422)
        .json({ ok: false, error: { code, message }, mailbox: toMailboxJson(outcome.mailbox) });
    },
  );

  router.get("/mailbox/events", async (req: Request, res: Response) => {
    const { tenant } = adminOf(req);

    const events = await listEvents(ctx, tenant);

    res.json({ events });
  });

  return router;
}

/** The methods an admin may choose: Gmail and Microsoft only where the operator set a client. */
function availableMethods(ctx: Context) {
  return {
    smtp: true,
    google: Boolean(ctx.drivers.google),
    microsoft: Boolean(ctx.drivers.microsoft),
  };
}
