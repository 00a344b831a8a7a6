import { errors, jwtVerify, SignJWT } from "jose";
import { unauthorized } from "../errors.js";

export interface EmbedClaims {
  /** The host's tenant id: every /api call acts on this tenant's mailbox only. */
  tenant: string;
  /** The admin's user id in the host. */
  sub: string;
  /** The admin's address, told by mail when the mailbox is deactivated. */
  email: string;
  name?: string;
}

/** Tokens live for an hour at most, so that a leaked one is of little use for long. */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 30;

/** Signs an embed token for the host backend to put on the widget element. */
export async function createEmbedToken(
  claims: EmbedClaims,
  secret: string,
  options: { expiresInSeconds?: number } = {},
): Promise<string> {
  const lifetime = options.expiresInSeconds ?? MAX_TOKEN_LIFETIME_SECONDS;
  if (lifetime <= 0 || lifetime > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new RangeError(`an embed token lives at most ${MAX_TOKEN_LIFETIME_SECONDS} seconds`);
  }
  const now = Math.floor(Date.now() / 1000);
  const payload = { tenant: claims.tenant, email: claims.email, name: claims.name };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(key(secret));
}

/** Verifies a token from the widget; any flaw answers the same 401, whatever it was. */
export async function verifyEmbedToken(token: string, secret: string): Promise<EmbedClaims> {
  const { payload } = await jwtVerify(token, key(secret), {
    algorithms: ["HS256"],
    requiredClaims: ["exp", "sub", "tenant", "email"],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  }).catch((error: unknown) => {
    if (error instanceof errors.JWTExpired) throw unauthorized("the embed token has expired");
    throw unauthorized("the embed token is not valid");
  });

  const now = Math.floor(Date.now() / 1000);
  if ((payload.exp ?? 0) > now + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw unauthorized("the embed token lives longer than an hour");
  }
  if (!isClaim(payload.tenant, 200) || !isClaim(payload.sub, 200) || !isEmail(payload.email)) {
    throw unauthorized("the embed token lacks a tenant, subject or email");
  }
  const name = isClaim(payload.name, 200) ? payload.name : undefined;
  return { tenant: payload.tenant, sub: payload.sub, email: payload.email, name };
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

function isClaim(value: unknown, maxLength: number): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= maxLength;
}

function isEmail(value: unknown): value is string {
  return isClaim(value, 320) && /^[^\s@<>"]+@[^\s@<>"]+$/.test(value);
}
