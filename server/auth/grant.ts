export type OAuthProvider = "google" | "microsoft";

export const OAUTH_PROVIDERS: readonly OAuthProvider[] = ["google", "microsoft"];

export const PROVIDER_NAMES: Record<OAuthProvider, string> = {
  google: "Google",
  microsoft: "Microsoft",
};

/** The one scope each provider must grant for the mailbox to send. */
export const SEND_SCOPES: Record<OAuthProvider, string> = {
  google: "https://www.googleapis.com/auth/gmail.send",
  microsoft: "https://graph.microsoft.com/Mail.Send",
};

/** What a provider's consent yields, before it is checked against the mailbox. */
export interface Grant {
  provider: OAuthProvider;
  /** The addresses the provider vouches for as the signed-in account's, best first. */
  accounts: string[];
  accessToken: string;
  refreshToken: string | null;
  expiresInSeconds: number;
  /** The scopes granted, or null when the provider did not list them. */
  scope: string[] | null;
}

/** What is kept, sealed, in `mailboxes.credentials` for a Gmail or Microsoft mailbox. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token stops working, in epoch milliseconds. */
  expiresAt: number;
  scope: string[];
  /** Set while one process refreshes the tokens, so that no other does at the same time. */
  refreshingUntil?: number;
}

export function parseScope(scope: unknown): string[] | null {
  if (typeof scope !== "string") return null;
  return scope.split(/\s+/).filter(Boolean);
}

/**
 * Whether the granted scopes let the mailbox send. Microsoft answers Graph scopes either in
 * full (`https://graph.microsoft.com/Mail.Send`) or by their short name (`Mail.Send`).
 */
export function grantsSending(provider: OAuthProvider, scope: string[]): boolean {
  const wanted = SEND_SCOPES[provider].toLowerCase();
  const short = wanted.slice(wanted.lastIndexOf("/") + 1);
  return scope.some((item) => {
    const granted = item.toLowerCase();
    return granted === wanted || (provider === "microsoft" && granted === short);
  });
}
