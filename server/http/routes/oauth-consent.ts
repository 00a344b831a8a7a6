import { join } from "node:path";
import {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from "express";
import type passport from "passport";
import { acceptGrant, redeemConsentAddress } from "../../auth/consent.js";
import type { ConsentStrategy } from "../../auth/consent-strategy.js";
import {
  consentDenied,
  consentFailed,
  invalidState,
  methodUnavailable,
} from "../../auth/errors.js";
import type { Grant, OAuthProvider } from "../../auth/grant.js";
import { consentPassport } from "../../auth/passport.js";
import { failureReport, resultPage, successReport } from "../../auth/result-page.js";
import { CONSENT_COOKIE, consentSessions, type ConsentSession } from "../../auth/session.js";
import type { Tickets } from "../../auth/tickets.js";
import type { Context } from "../../context.js";
import { AppError, internal } from "../../errors.js";
import { PUBLIC_DIR } from "../../paths.js";
import { parseProvider } from "./oauth.js";

/** What the failure page knows of the consent under way, filled in as the handlers learn it. */
interface ConsentLocals {
  provider: OAuthProvider;
  consent?: ConsentSession;
}

/**
 * The consent in the popup, mounted at /auth: the start address, the providers' callbacks
 * and the result page's script. Every outcome, good or bad, ends on a page that reports to
 * the opener; the consent session ends with it.
 */
export function consentRoutes(ctx: Context, tickets: Tickets): Router {
  const router = Router();
  const sessions = consentSessions(ctx.sequelize, ctx.config);
  const { passport: authenticator, strategies } = consentPassport(ctx.config);
  const strategyFor = (provider: OAuthProvider) => {
    const strategy = strategies[provider];
    if (!strategy) throw methodUnavailable(provider);
    return strategy;
  };

  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    // The popup reports to its opener, so it must keep it: Helmet's default would sever it.
    res.set("Cross-Origin-Opener-Policy", "unsafe-none");
    next();
  });

  router.get("/oauth-result.js", (_req, res) => {
    res.sendFile(join(PUBLIC_DIR, "oauth-result.js"));
  });

  router.get("/:provider/start", sessions.middleware, async (req, res, next) => {
    const locals = consentLocals(res, parseProvider(req.params.provider));
    const { consent, mailbox } = await redeemConsentAddress(
      ctx,
      tickets,
      locals.provider,
      req.query.ticket,
    );
    locals.consent = consent;
    const strategy = strategyFor(locals.provider);

    await regenerateSession(req);
    req.session.consent = consent;
    await sessions.clearExpired();

    ctx.log.info(
      { tenant: consent.tenant, mailbox: mailbox.id, method: consent.provider },
      "consent started",
    );
    startConsent(authenticator, strategy, mailbox.address)(req, res, next);
  });

  router.get("/:provider/callback", sessions.middleware, async (req, res) => {
    const locals = consentLocals(res, parseProvider(req.params.provider));
    const strategy = strategyFor(locals.provider);
    const consent = req.session.consent;
    if (!consent || consent.provider !== locals.provider) throw invalidState();
    locals.consent = consent;
    throwProviderRefusal(locals.provider, req.query.error);

    const grant = await finishConsent(authenticator, strategy, req, res);
    const mailbox = await acceptGrant(ctx, consent, grant);

    await endSession(req, res);
    const page = resultPage(successReport(consent.provider), reportTargets(ctx, consent), {
      account: mailbox.account ?? mailbox.address,
    });
    res.type("html").send(page);
  });

  router.use(failurePage(ctx));
  return router;
}

function consentLocals(res: Response, provider: OAuthProvider): ConsentLocals {
  const locals: ConsentLocals = { provider };
  res.locals.oauth = locals;
  return locals;
}

/** Sends the popup on to the provider's sign-in; Passport answers with the redirect. */
function startConsent(
  authenticator: passport.Authenticator,
  strategy: ConsentStrategy,
  address: string,
) {
  const options = { session: false, ...strategy.startOptions(address) };
  return (req: Request, res: Response, next: NextFunction) => {
    const handler: RequestHandler = authenticator.authenticate(
      strategy.provider,
      options,
      (error: unknown, _grant: unknown, info: unknown) =>
        next(consentFailed(strategy.provider, error ?? info)),
    );
    handler(req, res, next);
  };
}

/** The provider said no before any code was issued: `access_denied` is the admin's refusal. */
function throwProviderRefusal(provider: OAuthProvider, error: unknown): void {
  if (error === undefined) return;
  if (error === "access_denied") throw consentDenied(provider);
  throw consentFailed(provider, `the provider answered ${String(error)}`);
}

/** Lets the strategy check state (and nonce) and redeem the code; resolves with the Grant. */
function finishConsent(
  authenticator: passport.Authenticator,
  strategy: ConsentStrategy,
  req: Request,
  res: Response,
): Promise<Grant> {
  return new Promise((resolve, reject) => {
    const handler: RequestHandler = authenticator.authenticate(
      strategy.provider,
      { session: false },
      (error: unknown, grant: Grant | false, info: unknown) => {
        if (error) return reject(consentFailed(strategy.provider, error));
        if (grant) return resolve(grant);
        reject(
          strategy.isStateFailure(info) ? invalidState() : consentFailed(strategy.provider, info),
        );
      },
    );
    handler(req, res, reject);
  });
}

/**
 * The opener's origin recorded with the ticket; without one, each allowed origin, which the
 * browser narrows to the opener's if it is among them.
 */
function reportTargets(ctx: Context, consent: ConsentSession | undefined): string[] {
  return consent?.origin ? [consent.origin] : ctx.config.allowedOrigins;
}

function failurePage(ctx: Context) {
  return async (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const locals = res.locals.oauth as ConsentLocals | undefined;
    if (!locals || res.headersSent) return next(error);

    const known = error instanceof AppError ? error : internal(error);
    const fields = {
      tenant: locals.consent?.tenant,
      mailbox: locals.consent?.mailboxId,
      method: locals.provider,
      code: known.code,
    };
    if (known.status >= 500) {
      ctx.log.warn({ ...fields, reason: describe(known.cause ?? error) }, "consent failed");
    } else {
      ctx.log.info(fields, "consent refused");
    }

    await endSession(req, res).catch(() => {});
    res
      .status(known.status)
      .type("html")
      .send(resultPage(failureReport(locals.provider, known), reportTargets(ctx, locals.consent)));
  };
}

/** What went wrong, for the log: the message only, never a whole provider answer. */
function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === "string") return cause;
  const message = (cause as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : "unknown";
}

function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((error: unknown) => (error ? reject(error) : resolve())),
  );
}

function endSession(req: Request, res: Response): Promise<void> {
  res.clearCookie(CONSENT_COOKIE, { path: "/auth" });
  if (!req.session) return Promise.resolve();
  return new Promise((resolve, reject) =>
    req.session.destroy((error: unknown) => (error ? reject(error) : resolve())),
  );
}
