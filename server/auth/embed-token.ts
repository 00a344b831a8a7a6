import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { webcrypto } from "node:crypto";
import { unauthorized, type AppError } from "../errors.js";

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

/**
 * Enough for the widgets open at once on a busy instance. A token is at most 4 KB (the
 * longest the bearer header takes), so the accepted tokens kept hold 8 MB at worst.
 */
const ACCEPTED_TOKENS_KEPT = 2048;

const VERIFY_OPTIONS = {
  algorithms: ["HS256"],
  requiredClaims: ["exp", "sub", "tenant", "email"],
  clockTolerance: CLOCK_TOLERANCE_SECONDS,
};

/** A token whose signature and claims passed, with what the clock may still turn against. */
interface Accepted {
  claims: Readonly<EmbedClaims>;
  exp: number;
  nbf: number | undefined;
}

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
    .sign(new TextEncoder().encode(secret));
}

/** Verifies a token from the widget; any flaw answers the same 401, whatever it was. */
export async function verifyEmbedToken(token: string, secret: string): Promise<EmbedClaims> {
  const accepted = await verifyToken(token, Promise.resolve(new TextEncoder().encode(secret)));
  return { ...accepted.claims };
}

/**
 * Verifies the embed tokens signed with one secret, and remembers those it accepted.
 *
 * A widget sends the same token with every call it makes, for up to an hour, and checking its
 * signature was the costliest step of a call such as `GET /api/mailbox`. A remembered token is
 * the very string whose signature and claims passed, so only what depends on the clock can
 * turn against it: expiry, not-before and the one-hour rule are checked again at each use.
 * A refusal is never remembered, and a token not seen before (or forgotten, the oldest first,
 * once too many are kept) goes through the whole check.
 */
export class EmbedTokenVerifier {
  readonly #accepted = new Map<string, Accepted>();
  readonly #secret: string;
  readonly #capacity: number;
  #key: Promise<webcrypto.CryptoKey> | undefined;

  constructor(secret: string, options: { capacity?: number } = {}) {
    this.#secret = secret;
    this.#capacity = Math.max(1, options.capacity ?? ACCEPTED_TOKENS_KEPT);
  }

  /** How many accepted tokens are remembered. */
  get size(): number {
    return this.#accepted.size;
  }

  async verify(token: string): Promise<Readonly<EmbedClaims>> {
    const known = this.#accepted.get(token);
    if (known) {
      const refusal = timeRefusal(known);
      if (refusal) {
        this.#accepted.delete(token);
        throw refusal;
      }
      return known.claims;
    }

    const accepted = await verifyToken(token, this.#hmacKey());

    this.#remember(token, accepted);
    return accepted.claims;
  }

  #remember(token: string, accepted: Accepted): void {
    if (!this.#accepted.has(token) && this.#accepted.size >= this.#capacity) {
      const oldest = this.#accepted.keys().next();
      if (!oldest.done) this.#accepted.delete(oldest.value);
    }
    this.#accepted.set(token, accepted);
  }

  /** Imported once: jose would import a raw secret again for every token. */
  #hmacKey(): Promise<webcrypto.CryptoKey> {
    this.#key ??= crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(this.#secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    return this.#key;
  }
}

/** The signature (HS256 only, so never `alg: none`), the clock, then the claims. */
async function verifyToken(
  token: string,
  key: Promise<webcrypto.CryptoKey | Uint8Array>,
): Promise<Accepted> {
  const { payload } = await key
    .then((secret) => jwtVerify(token, secret, VERIFY_OPTIONS))
    .catch((error: unknown) => {
      if (error instanceof errors.JWTExpired) throw unauthorized("the embed token has expired");
      throw unauthorized("the embed token is not valid");
    });

  // jose has checked that exp is there and that both are numbers.
  const times = { exp: payload.exp!, nbf: payload.nbf };
  const refusal = timeRefusal(times);
  if (refusal) throw refusal;

  return { ...times, claims: claimsOf(payload) };
}

function claimsOf(payload: JWTPayload): Readonly<EmbedClaims> {
  if (!isClaim(payload.tenant, 200) || !isClaim(payload.sub, 200) || !isEmail(payload.email)) {
    throw unauthorized("the embed token lacks a tenant, subject or email");
  }
  const name = isClaim(payload.name, 200) ? payload.name : undefined;
  return Object.freeze({ tenant: payload.tenant, sub: payload.sub, email: payload.email, name });
}

/** The checks that a token which passed once may fail later, as time goes by. */
function timeRefusal({ exp, nbf }: Pick<Accepted, "exp" | "nbf">): AppError | undefined {
  const now = Math.floor(Date.now() / 1000);
  if (exp <= now - CLOCK_TOLERANCE_SECONDS) return unauthorized("the embed token has expired");
  if (nbf !== undefined && nbf > now + CLOCK_TOLERANCE_SECONDS) {
    return unauthorized("the embed token is not valid");
  }
  if (exp > now + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    return unauthorized("the embed token lives longer than an hour");
  }
  return undefined;
}

function isClaim(value: unknown, maxLength: number): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= maxLength;
}

function isEmail(value: unknown): value is string {
  return isClaim(value, 320) && /^[^\s@<>"]+@[^\s@<>"]+$/.test(value);
}
