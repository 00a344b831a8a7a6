import type { NextFunction, Request, Response } from "express";
import { EmbedTokenVerifier, type EmbedClaims } from "../../auth/embed-token.js";
import { unauthorized } from "../../errors.js";

declare module "express-serve-static-core" {
  interface Request {
    admin?: Readonly<EmbedClaims>;
  }
}

/**
 * Every /api call names its tenant by the embed token alone, as a bearer header: never a
 * cookie, so no other site can make a browser act for the admin.
 */
export function authenticate(secret: string) {
  const verifier = new EmbedTokenVerifier(secret);

  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header);
    if (!match) return next(unauthorized());

    req.admin = await verifier.verify(match[1]!);
    next();
  };
}

export function adminOf(req: Request): Readonly<EmbedClaims> {
  if (!req.admin) throw unauthorized();
  return req.admin;
}
