import {
  Strategy as GoogleStrategy,
  type GoogleCallbackParameters,
  type Profile,
  type VerifyCallback,
} from "passport-google-oauth20";
import type { Config } from "../config.js";
import type { ConsentStrategy } from "./consent-strategy.js";
import { SEND_SCOPES, parseScope, type Grant } from "./grant.js";

const SCOPES = ["openid", "email", SEND_SCOPES.google];

/**
 * Google's consent: `gmail.send` with offline access, so that a refresh token comes back, and
 * the consent screen every time, because Google hands out a refresh token only on consent.
 * State and a PKCE verifier are kept in the consent session and checked on return.
 */
export function googleConsent(
  config: NonNullable<Config["google"]>,
  callbackUrl: string,
): ConsentStrategy {
  const strategy = new GoogleStrategy(
    {
      clientID: config.clientId,
      clientSecret: config.clientSecret,
      callbackURL: callbackUrl,
      authorizationURL: config.endpoints.authUrl,
      tokenURL: config.endpoints.tokenUrl,
      userProfileURL: config.endpoints.userinfoUrl,
      scope: SCOPES,
      state: true,
      pkce: true,
      sessionKey: "google-consent",
    },
    (
      accessToken: string,
      refreshToken: string | undefined,
      params: GoogleCallbackParameters,
      profile: Profile,
      done: VerifyCallback,
    ) => done(null, toGrant(accessToken, refreshToken, params, profile)),
  );

  return {
    provider: "google",
    strategy,
    startOptions: (address) => ({
      accessType: "offline",
      prompt: "consent",
      loginHint: address,
    }),
    isStateFailure: (info) => /state/i.test(String((info as { message?: unknown })?.message)),
  };
}

/** Only a verified address counts as the account's (OpenID Connect Core, section 5.1). */
function toGrant(
  accessToken: string,
  refreshToken: string | undefined,
  params: GoogleCallbackParameters,
  profile: Profile,
): Grant {
  const accounts = (profile.emails ?? [])
    .filter((email) => String(email.verified) !== "false" && Boolean(email.value))
    .map((email) => email.value.toLowerCase());

  return {
    provider: "google",
    accounts,
    accessToken,
    refreshToken: refreshToken || null,
    expiresInSeconds: Number(params.expires_in) || 3600,
    scope: parseScope(params.scope),
  };
}
