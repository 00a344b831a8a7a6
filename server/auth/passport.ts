import passport from "passport";
import type { Config } from "../config.js";
import type { ConsentStrategy } from "./consent-strategy.js";
import type { OAuthProvider } from "./grant.js";
import { googleConsent } from "./google-strategy.js";
import { microsoftConsent } from "./microsoft-strategy.js";

export interface ConsentPassport {
  passport: passport.Authenticator;
  strategies: Partial<Record<OAuthProvider, ConsentStrategy>>;
}

/**
 * A Passport of this integration's own, not the package's shared instance: several
 * integrations in one process each keep their clients. Only configured providers take part.
 */
export function consentPassport(config: Config): ConsentPassport {
  const instance = new passport.Passport();
  const callback = (provider: OAuthProvider) => `${config.publicUrl}/auth/${provider}/callback`;
  const strategies: ConsentPassport["strategies"] = {
    ...(config.google && { google: googleConsent(config.google, callback("google")) }),
    ...(config.microsoft && {
      microsoft: microsoftConsent(config.microsoft, callback("microsoft")),
    }),
  };

  for (const consent of Object.values(strategies)) {
    instance.use(consent.provider, consent.strategy);
  }
  return { passport: instance, strategies };
}
