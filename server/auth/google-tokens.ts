import type { Config } from "../config.js";
import { ProviderApiError } from "../delivery/classify.js";
import { providerError, providerFetch } from "../delivery/transports/oauth-api.js";
import { requestTokens, type TokenAnswer, type TokenRefresher } from "./token-endpoint.js";

type GoogleConfig = NonNullable<Config["google"]>;

/** Google's token and revoke endpoints for one OAuth client. */
export class GoogleTokens implements TokenRefresher {
  constructor(private readonly config: GoogleConfig) {}

  refresh(refreshToken: string): Promise<TokenAnswer> {
    return requestTokens("google", this.config.endpoints.tokenUrl, {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
    });
  }

  /**
   * Revokes the grant behind a token. A token Google no longer knows (`invalid_token`) was
   * revoked already, by the account's owner for instance: that is the outcome wanted.
   * https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
   */
  async revoke(token: string): Promise<void> {
    const answer = await providerFetch("google", this.config.endpoints.revokeUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    if (answer.ok) return;

    const error: ProviderApiError = await providerError("google", answer);
    if (error.options.oauthError === "invalid_token") return;
    throw error;
  }
}
