import { rateLimit } from "express-rate-limit";
import { rateLimited } from "../../errors.js";

/**
 * Limits a costly call per tenant (a test mail opens a connection to a server of the admin's
 * choosing; a consent start creates state). Keyed by the embed token's tenant, so one tenant
 * cannot spend another's allowance.
 *
 * TODO(scale): counts live in this process's memory; instances that share a database each
 * count on their own, so N instances allow N times the limit. A store in the shared database
 * would close that gap once several instances run.
 */
export function perTenantLimit(limit: number, windowMs = 60_000) {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => `tenant:${req.admin?.tenant ?? "none"}`,
    handler: (_req, _res, next) => next(rateLimited()),
  });
}
