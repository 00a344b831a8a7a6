import { createRequire } from "node:module";
import type { Strategy } from "passport";
import type { Config } from "../config.js";
import type { ConsentStrategy } from "./consent-strategy.js";
import { parseScope, type Grant } from "./grant.js";
import { MICROSOFT_SCOPES } from "./microsoft-tokens.js";

/**
 * The one module that knows passport-azure-ad. The package is deprecated upstream; whatever
 * replaces it has only to yield a ConsentStrategy whose verify hands Passport a Grant.
 * Its pinned `oauth` dependency is overridden to the 0.10 line in package.json, which stops
 * the token request from calling back twice when it fails.
 */

/** The few of the package's options and claims used here; it ships no types. */
interface OidcOptions {
  identityMetadata: string;
  clientID: string;
  clientSecret: string;
  responseType: "code";
  responseMode: "query";
  redirectUrl: string;
  allowHttpForRedirectUrl: boolean;
  validateIssuer: boolean;
  passReqToCallback: false;
  scope: string[];
  sessionKey: string;
  nonceLifetime: number;
  nonceMaxAmount: number;
  loggingLevel: "error";
  loggingNoPII: true;
}

interface IdTokenClaims {
  email?: unknown;
  preferred_username?: unknown;
  upn?: unknown;
}

interface TokenParams {
  expires_in?: unknown;
  scope?: unknown;
}

type Verify = (
  iss: string,
  sub: string,
  profile: unknown,
  claims: IdTokenClaims,
  accessToken: string,
  refreshToken: string | undefined,
  params: TokenParams,
  done: (error: Error | null, grant?: Grant) => void,
) => void;

type OidcStrategy = new (options: OidcOptions, verify: Verify) => Strategy;

/**
 * Loaded on first use: a process without Microsoft configured never holds the package (about
 * 9 MB of resident memory).
 */
function oidcStrategy(): OidcStrategy {
  const require = createRequire(import.meta.url);
  return (require("passport-azure-ad") as { OIDCStrategy: OidcStrategy }).OIDCStrategy;
}

/**
 * The tenant names that accept accounts of any organisation, or personal accounts: their
 * tokens carry each account's own tenant as issuer, so no single issuer can be checked.
 */
const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);

/** Consent and id_token lifetime in the session, in seconds: as long as the consent cookie. */
const NONCE_LIFETIME_SECONDS = 600;

/**
 * Microsoft's consent: authorization code flow with the answer in the query string (a form
 * post would be a cross-site POST, which the SameSite=lax consent cookie does not follow),
 * state and nonce kept in the consent session and checked, the id_token's signature checked
 * against the keys of the metadata document, which must be served over HTTPS.
 */
export function microsoftConsent(
  config: NonNullable<Config["microsoft"]>,
  callbackUrl: string,
): ConsentStrategy {
  const OIDCStrategy = oidcStrategy();
  const strategy = new OIDCStrategy(
    {
      identityMetadata: config.metadataUrl,
      clientID: config.clientId,
      clientSecret: config.clientSecret,
      responseType: "code",
      responseMode: "query",
      redirectUrl: callbackUrl,
      allowHttpForRedirectUrl: callbackUrl.startsWith("http:"),
      validateIssuer: !MULTI_TENANT.has(config.tenant.toLowerCase()),
      passReqToCallback: false,
      scope: MICROSOFT_SCOPES,
      sessionKey: "microsoft-consent",
      nonceLifetime: NONCE_LIFETIME_SECONDS,
      nonceMaxAmount: 3,
      loggingLevel: "error",
      loggingNoPII: true,
    },
    (_iss, _sub, _profile, claims, accessToken, refreshToken, params, done) =>
      done(null, toGrant(claims, accessToken, refreshToken, params)),
  );

  return {
    provider: "microsoft",
    strategy,
    startOptions: (address) => ({ login_hint: address, prompt: "select_account" }),
    isStateFailure: (info) => /\b(state|nonce)\b/i.test(String(info)),
  };
}

/**
 * The account's address: `email` when the account has one, else `preferred_username`, which
 * for personal accounts and most work accounts is the sign-in address.
 * https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
 */
function toGrant(
  claims: IdTokenClaims,
  accessToken: string,
  refreshToken: string | undefined,
  params: TokenParams,
): Grant {
  const accounts = [claims.email, claims.preferred_username, claims.upn]
    .filter((value): value is string => typeof value === "string" && value.includes("@"))
    .map((value) => value.toLowerCase());

  return {
    provider: "microsoft",
    accounts: [...new Set(accounts)],
    accessToken,
    refreshToken: refreshToken || null,
    expiresInSeconds: Number(params.expires_in) || 3600,
    scope: parseScope(params.scope),
  };
}
