import { ProviderApiError } from "../delivery/classify.js";
import { providerError, providerFetch } from "../delivery/transports/oauth-api.js";
import { parseScope, type OAuthProvider } from "./grant.js";

/** A token endpoint's answer to a refresh (RFC 6749, section 5.1). */
export interface TokenAnswer {
  accessToken: string;
  /** Present when the provider rotates refresh tokens: the old one should not be used again. */
  refreshToken?: string;
  expiresInSeconds: number;
  scope: string[] | null;
}

/** How a provider renews an access token from a refresh token. */
export interface TokenRefresher {
  refresh(refreshToken: string): Promise<TokenAnswer>;
}

/** Access tokens are taken to last an hour when a provider leaves `expires_in` out. */
const DEFAULT_LIFETIME_SECONDS = 3600;

/** Posts a form to a token endpoint; a refusal becomes a ProviderApiError with its OAuth word. */
export async function requestTokens(
  provider: OAuthProvider,
  url: string,
  form: Record<string, string>,
): Promise<TokenAnswer> {
  const answer = await providerFetch(provider, url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(form).toString(),
  });
  if (!answer.ok) throw await providerError(provider, answer);

  const body = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
  if (typeof body.access_token !== "string" || body.access_token === "") {
    throw new ProviderApiError(
      "the token endpoint answered without an access token",
      provider,
      502,
    );
  }
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    refreshToken:
      typeof body.refresh_token === "string" && body.refresh_token ? body.refresh_token : undefined,
    expiresInSeconds: expiresIn > 0 ? expiresIn : DEFAULT_LIFETIME_SECONDS,
    scope: parseScope(body.scope),
  };
}
