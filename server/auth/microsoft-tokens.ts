import type { Config } from "../config.js";
import { ProviderApiError } from "../delivery/classify.js";
import { providerError, providerFetch } from "../delivery/transports/oauth-api.js";
import { requestTokens, type TokenAnswer, type TokenRefresher } from "./token-endpoint.js";

type MicrosoftConfig = NonNullable<Config["microsoft"]>;

/**
 * What the consent asks Microsoft for: a refresh token (`offline_access`), Graph's Mail.Send,
 * and the signed-in account's address (`email`, `profile` for `preferred_username`).
 */
export const MICROSOFT_SCOPES = [
  "openid",
  "profile",
  "email",
  "offline_access",
  "https://graph.microsoft.com/Mail.Send",
];

/** Microsoft's token endpoint for one client, found through the OpenID metadata document. */
export class MicrosoftTokens implements TokenRefresher {
  private tokenEndpoint: Promise<string> | null = null;

  constructor(private readonly config: MicrosoftConfig) {}

  async refresh(refreshToken: string): Promise<TokenAnswer> {
    return requestTokens("microsoft", await this.endpoint(), {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      scope: MICROSOFT_SCOPES.join(" "),
    });
  }

  /** Looked up once; a failed lookup is not kept, so the next refresh asks again. */
  private endpoint(): Promise<string> {
    this.tokenEndpoint ??= discoverTokenEndpoint(this.config.metadataUrl).catch((error) => {
      this.tokenEndpoint = null;
      throw error;
    });
    return this.tokenEndpoint;
  }
}

async function discoverTokenEndpoint(metadataUrl: string): Promise<string> {
  const answer = await providerFetch("microsoft", metadataUrl, {
    headers: { accept: "application/json" },
  });
  if (!answer.ok) throw await providerError("microsoft", answer);

  const metadata = (await answer.json().catch(() => ({}))) as { token_endpoint?: unknown };
  if (
    typeof metadata.token_endpoint !== "string" ||
    !metadata.token_endpoint.startsWith("https:")
  ) {
    throw new ProviderApiError(
      "the OpenID metadata names no https token endpoint",
      "microsoft",
      502,
    );
  }
  return metadata.token_endpoint;
}
