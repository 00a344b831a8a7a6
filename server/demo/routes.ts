import { Router } from "express";
import { z } from "zod";
import { createEmbedToken, MAX_TOKEN_LIFETIME_SECONDS } from "../auth/embed-token.js";
import type { Context } from "../context.js";
import { parse } from "../validation.js";
import { readDemoInbox } from "./inbox.js";

const tokenQuery = z.object({
  tenant: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, "must be letters, digits and dashes")
    .default("acme"),
});

/**
 * What the demo host page needs and a real host provides itself: an embed token for a demo
 * admin, and a look at the mail that was sent. Mounted in development only.
 */
export function demoRoutes(ctx: Context): Router {
  const router = Router();

  router.get("/token", async (req, res) => {
    const { tenant } = parse(tokenQuery, req.query);
    const admin = {
      tenant,
      sub: `admin@${tenant}`,
      email: `admin@${tenant}.example`,
      name: "Demo Admin",
    };

    const token = await createEmbedToken(admin, ctx.config.embedSecret);

    const expiresAt = new Date(Date.now() + MAX_TOKEN_LIFETIME_SECONDS * 1000).toISOString();
    const demoSmtp = { host: "127.0.0.1", port: ctx.config.demo.smtpPort };
    res
      .set("Cache-Control", "no-store")
      .json({ token, tenant, email: admin.email, name: admin.name, expiresAt, demoSmtp });
  });

  router.get("/inbox", async (_req, res) => {
    const messages = await readDemoInbox(ctx.config);

    res.set("Cache-Control", "no-store").json({ messages });
  });

  return router;
}
