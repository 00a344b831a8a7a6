import { setTimeout as sleep } from "node:timers/promises";
import type { SecretBox } from "../crypto/secret-box.js";
import type { Models } from "../db/models.js";
import { notConnected } from "./errors.js";
import type { OAuthProvider, OAuthTokens } from "./grant.js";
import type { TokenAnswer, TokenRefresher } from "./token-endpoint.js";

/** A token this close to its end is renewed first, so that none runs out mid-request. */
const REFRESH_MARGIN_MS = 2 * 60_000;
/** How long one process may hold the refresh of a mailbox before another takes over. */
const LEASE_MS = 30_000;
const LEASE_POLL_MS = 100;

/**
 * Hands out a mailbox's access token and renews it before it expires. A mailbox is never
 * refreshed twice at once: callers in this process share one refresh, and processes sharing
 * the database take a lease on it, written into the sealed credentials with a compare-and-set,
 * so the others wait for its outcome instead of spending the same refresh token again.
 * A refresh token that the provider rotates replaces the stored one in the same write.
 */
export class AccessTokens {
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(
    private readonly provider: OAuthProvider,
    private readonly refresher: TokenRefresher,
    private readonly store: { models: Models; box: SecretBox },
  ) {}

  /** A token good for a while yet; `refused` is one the mail API has just turned down. */
  async get(mailboxId: string, refused?: string): Promise<string> {
    const { tokens } = await this.read(mailboxId);
    if (isUsable(tokens, refused)) return tokens.accessToken;

    let refresh = this.refreshing.get(mailboxId);
    if (!refresh) {
      refresh = this.refresh(mailboxId, refused).finally(() => this.refreshing.delete(mailboxId));
      this.refreshing.set(mailboxId, refresh);
    }
    return refresh;
  }

  private async refresh(mailboxId: string, refused: string | undefined): Promise<string> {
    for (;;) {
      const { sealed, tokens } = await this.read(mailboxId);
      if (isUsable(tokens, refused)) return tokens.accessToken;

      if ((tokens.refreshingUntil ?? 0) > Date.now()) {
        await sleep(LEASE_POLL_MS);
        continue;
      }

      const leased = this.store.box.sealJson({ ...tokens, refreshingUntil: Date.now() + LEASE_MS });
      if (!(await this.swap(mailboxId, sealed, leased))) continue;

      let answer: TokenAnswer;
      try {
        answer = await this.refresher.refresh(tokens.refreshToken);
      } catch (error) {
        await this.swap(mailboxId, leased, this.store.box.sealJson(withoutLease(tokens)));
        throw error;
      }

      const renewed: OAuthTokens = {
        accessToken: answer.accessToken,
        refreshToken: answer.refreshToken ?? tokens.refreshToken,
        expiresAt: Date.now() + answer.expiresInSeconds * 1000,
        scope: answer.scope ?? tokens.scope,
      };
      // Should the mailbox have been reconnected or deleted meanwhile, its new credentials
      // stay as they are; the token just obtained still serves this one request.
      await this.swap(mailboxId, leased, this.store.box.sealJson(renewed));
      return renewed.accessToken;
    }
  }

  private async read(mailboxId: string): Promise<{ sealed: string; tokens: OAuthTokens }> {
    const row = await this.store.models.Mailbox.findByPk(mailboxId, {
      attributes: ["id", "method", "credentials"],
    });
    if (!row || row.method !== this.provider || !row.credentials) {
      throw notConnected(this.provider);
    }
    return {
      sealed: row.credentials,
      tokens: this.store.box.openJson<OAuthTokens>(row.credentials),
    };
  }

  /** Replaces the sealed credentials only if they are still `expected`: one writer wins. */
  private async swap(mailboxId: string, expected: string, next: string): Promise<boolean> {
    const [changed] = await this.store.models.Mailbox.update(
      { credentials: next },
      { where: { id: mailboxId, credentials: expected }, silent: true },
    );
    return changed === 1;
  }
}

function isUsable(tokens: OAuthTokens, refused: string | undefined): boolean {
  return tokens.accessToken !== refused && tokens.expiresAt - REFRESH_MARGIN_MS > Date.now();
}

function withoutLease(tokens: OAuthTokens): OAuthTokens {
  const { refreshingUntil: _lease, ...rest } = tokens;
  return rest;
}
