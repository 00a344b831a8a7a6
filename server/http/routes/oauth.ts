import { Router, type Request, type Response } from "express";
import { issueConsentAddress } from "../../auth/consent.js";
import { OAUTH_PROVIDERS, type OAuthProvider } from "../../auth/grant.js";
import type { Tickets } from "../../auth/tickets.js";
import type { Context } from "../../context.js";
import { notFound } from "../../errors.js";
import { adminOf } from "../middleware/authenticate.js";
import { perTenantLimit } from "../middleware/rate-limit.js";

/** An admin retrying a consent a few times is normal; dozens a minute is not. */
const CONSENT_STARTS_PER_MINUTE = 10;

/** `POST /api/mailbox/oauth/:provider` (DESIGN.md): the address that starts a consent. */
export function oauthRoutes(ctx: Context, tickets: Tickets): Router {
  const router = Router();

  router.post(
    "/mailbox/oauth/:provider",
    perTenantLimit(CONSENT_STARTS_PER_MINUTE),
    async (req: Request, res: Response) => {
      const { tenant } = adminOf(req);
      const provider = parseProvider(req.params.provider);
      const origin = openerOrigin(ctx, req.get("origin"));

      const url = await issueConsentAddress(ctx, tickets, { tenant, provider, origin });

      res.set("Cache-Control", "no-store").json({ url });
    },
  );

  return router;
}

export function parseProvider(value: unknown): OAuthProvider {
  const provider = OAUTH_PROVIDERS.find((known) => known === value);
  if (!provider) throw notFound();
  return provider;
}

/** The host page asking, recorded so that the popup reports to it and to nothing else. */
function openerOrigin(ctx: Context, origin: string | undefined): string | null {
  return origin && ctx.config.allowedOrigins.includes(origin) ? origin : null;
}
