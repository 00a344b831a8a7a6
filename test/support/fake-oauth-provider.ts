import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify } from "jose";
import { OAuth2Issuer, OAuth2Service } from "oauth2-mock-server";
import { serverCert } from "./certs.js";

export interface TokenRequestRecord {
  grantType: string;
  refreshToken?: string;
  scope?: string;
}

export interface ProviderFailure {
  status: number;
  body: Record<string, unknown>;
}

export interface FakeProviderOptions {
  /** What the provider says it granted, in its token answers and access tokens. */
  grantedScope: string;
  /** Whether each refresh answers a new refresh token and retires the old one (Microsoft). */
  rotatesRefreshTokens: boolean;
  /** Where the OpenID metadata document is served, below the issuer. */
  metadataPath?: string;
}

/**
 * A real OAuth 2.0 / OpenID Connect provider on loopback, over HTTPS with the test CA:
 * oauth2-mock-server's service, with the behaviour of a strict provider added through its
 * hooks. Refresh tokens are checked (unknown, retired and revoked ones answer invalid_grant),
 * the signed-in account is the one a test sets, and every token it hands out is remembered
 * so that tests can look for them where they must not be.
 */
export class FakeOAuthProvider {
  /** The signed-in account the next consents report. */
  account = "owner@tenant.example";
  accountVerified = true;
  grantedScope: string;
  /** Lifetime (seconds) of the next access tokens; the provider's one hour when null. */
  expiresIn: number | null = null;
  /** Whether the next authorization-code answers leave the refresh token out. */
  withholdRefreshToken = false;

  readonly tokenRequests: TokenRequestRecord[] = [];
  readonly revocations: string[] = [];
  readonly issuedAccessTokens: string[] = [];
  readonly issuedRefreshTokens: string[] = [];

  private readonly validRefreshTokens = new Set<string>();
  private readonly tokenFailures: ProviderFailure[] = [];
  private readonly revocationFailures: number[] = [];
  private denyNext = false;

  private constructor(
    private readonly server: Server,
    private readonly service: OAuth2Service,
    readonly url: string,
    private readonly options: FakeProviderOptions,
  ) {
    this.grantedScope = options.grantedScope;
    this.installHooks();
  }

  static async start(options: FakeProviderOptions): Promise<FakeOAuthProvider> {
    const issuer = new OAuth2Issuer();
    await issuer.keys.generate("RS256");
    const service = new OAuth2Service(issuer, {
      wellKnownDocument: options.metadataPath ?? "/.well-known/openid-configuration",
    });

    const server = createServer(serverCert, (req, res) => {
      // The mock service does not read the revoke endpoint's form body; read it here first.
      if (req.method === "POST" && req.url?.startsWith("/revoke")) {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          const token = new URLSearchParams(Buffer.concat(chunks).toString()).get("token");
          provider.revoke(token ?? "");
          service.requestHandler(req, res);
        });
        return;
      }
      service.requestHandler(req, res);
    });
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer.url = url;

    const provider = new FakeOAuthProvider(server, service, url, options);
    return provider;
  }

  get metadataUrl(): string {
    return `${this.url}${this.options.metadataPath ?? "/.well-known/openid-configuration"}`;
  }

  /** The next consent ends with the account owner refusing it. */
  denyNextConsent(): void {
    this.denyNext = true;
  }

  /** The next token requests answer these failures, in order. */
  failNextTokenRequest(...failures: ProviderFailure[]): void {
    this.tokenFailures.push(...failures);
  }

  /** The next revocation answers this status, as an endpoint that is down would. */
  failNextRevocation(status: number): void {
    this.revocationFailures.push(status);
  }

  /** The account's owner removes the app: every refresh token stops working. */
  revokeAllGrants(): void {
    this.validRefreshTokens.clear();
  }

  /** Every token handed out so far. */
  get issuedTokens(): string[] {
    return [...this.issuedAccessTokens, ...this.issuedRefreshTokens];
  }

  refreshRequests(): TokenRequestRecord[] {
    return this.tokenRequests.filter((request) => request.grantType === "refresh_token");
  }

  /** Checks a bearer token as a resource server would: signature, issuer, expiry, scope. */
  async verifyAccessToken(token: string, scope: string): Promise<boolean> {
    try {
      const keys = createLocalJWKSet({ keys: this.service.issuer.keys.toJSON() });
      const { payload } = await jwtVerify(token, keys, { issuer: this.url });
      return String(payload.scope ?? "")
        .split(" ")
        .includes(scope);
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return new Promise((done) => {
      this.server.closeAllConnections();
      this.server.close(() => done());
    });
  }

  private revoke(token: string): void {
    this.revocations.push(token);
    if (this.revocationFailures.length === 0) this.validRefreshTokens.delete(token);
  }

  private installHooks(): void {
    this.service.on("beforeAuthorizeRedirect", (redirect: { url: URL }) => {
      if (!this.denyNext) return;
      this.denyNext = false;
      redirect.url.searchParams.delete("code");
      redirect.url.searchParams.set("error", "access_denied");
      redirect.url.searchParams.set("error_description", "The user declined the consent.");
    });

    this.service.on("beforeRevoke", (answer: { statusCode: number }) => {
      const status = this.revocationFailures.shift();
      if (status !== undefined) answer.statusCode = status;
    });

    this.service.on("beforeUserinfo", (answer: { body: Record<string, unknown> }) => {
      answer.body = {
        sub: "johndoe",
        email: this.account,
        email_verified: this.accountVerified,
      };
    });

    this.service.on("beforeTokenSigning", (token: { payload: Record<string, unknown> }) => {
      // Two tokens signed in the same second must still differ, as a real provider's do.
      token.payload.jti = randomUUID();
      if ("scope" in token.payload) token.payload.scope = this.grantedScope;
      token.payload.email = this.account;
      token.payload.preferred_username = this.account;
      if (this.expiresIn !== null) {
        token.payload.exp = Math.floor(Date.now() / 1000) + Math.max(this.expiresIn, 1);
      }
    });

    this.service.on("beforeResponse", (answer: TokenAnswer, req: TokenRequest) => {
      this.answerToken(answer, req.body);
    });
  }

  private answerToken(answer: TokenAnswer, body: TokenRequest["body"]): void {
    const grantType = String(body.grant_type);
    const refreshToken = typeof body.refresh_token === "string" ? body.refresh_token : undefined;
    this.tokenRequests.push({ grantType, refreshToken, scope: body.scope });

    const failure = this.tokenFailures.shift();
    if (failure) {
      answer.statusCode = failure.status;
      answer.body = failure.body;
      return;
    }
    if (grantType === "refresh_token" && !this.validRefreshTokens.has(refreshToken ?? "")) {
      answer.statusCode = 400;
      answer.body = {
        error: "invalid_grant",
        error_description: "Token has been expired or revoked.",
      };
      return;
    }

    const issued = answer.body as Record<string, unknown>;
    issued.scope = this.grantedScope;
    if (this.expiresIn !== null) issued.expires_in = this.expiresIn;
    this.issuedAccessTokens.push(String(issued.access_token));

    const rotate = grantType !== "refresh_token" || this.options.rotatesRefreshTokens;
    const withhold = grantType === "authorization_code" && this.withholdRefreshToken;
    if (rotate && !withhold) {
      if (refreshToken) this.validRefreshTokens.delete(refreshToken);
      this.validRefreshTokens.add(String(issued.refresh_token));
      this.issuedRefreshTokens.push(String(issued.refresh_token));
    } else {
      delete issued.refresh_token;
    }
  }
}

interface TokenAnswer {
  statusCode: number;
  body: Record<string, unknown> | "";
}

interface TokenRequest {
  body: { grant_type?: unknown; refresh_token?: unknown; scope?: string };
}

export const GOOGLE_GRANTED_SCOPE =
  "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/gmail.send";
export const MICROSOFT_GRANTED_SCOPE =
  "openid profile email offline_access https://graph.microsoft.com/Mail.Send";

/** Google: refresh tokens last until revoked; refreshes answer no new one. */
export function startFakeGoogle(): Promise<FakeOAuthProvider> {
  return FakeOAuthProvider.start({
    grantedScope: GOOGLE_GRANTED_SCOPE,
    rotatesRefreshTokens: false,
  });
}

/** Microsoft: a tenant's v2.0 metadata over HTTPS; each refresh rotates the refresh token. */
export function startFakeMicrosoft(): Promise<FakeOAuthProvider> {
  return FakeOAuthProvider.start({
    grantedScope: MICROSOFT_GRANTED_SCOPE,
    rotatesRefreshTokens: true,
    metadataPath: "/contoso/v2.0/.well-known/openid-configuration",
  });
}
