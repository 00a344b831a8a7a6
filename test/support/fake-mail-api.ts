import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import type { FakeOAuthProvider } from "./fake-oauth-provider.js";

export interface ApiReceivedMail {
  /** The bearer token the message came with. */
  token: string;
  raw: Buffer;
  parsed: ParsedMail;
}

export interface ApiFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How one provider's mail API words its route, its body and its refusals. */
export interface MailApiDialect {
  path: string;
  scope: string;
  decode(body: Buffer, contentType: string): Buffer | null;
  accepted: (id: string) => { status: number; body?: unknown };
  unauthorized: unknown;
}

/**
 * A provider's mail API on loopback: it checks each bearer token against the fake provider
 * that issued it (signature, expiry, the send scope), keeps the raw MIME it receives, and
 * answers scripted failures when a test asks for them.
 */
export class FakeMailApi {
  readonly received: ApiReceivedMail[] = [];
  /** Every bearer token presented, accepted or not. */
  readonly presentedTokens: string[] = [];
  /** Tokens refused as if revoked, whatever their signature says. */
  readonly refusedTokens = new Set<string>();
  refuseEveryToken = false;
  private readonly failures: ApiFailure[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(provider: FakeOAuthProvider, dialect: MailApiDialect): Promise<FakeMailApi> {
    let api: FakeMailApi | undefined;
    const server = createServer((req, res) => void api!.handle(provider, dialect, req, res));
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    api = new FakeMailApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return api;
  }

  /** The next requests answer these failures, in order, before the token is even looked at. */
  failNext(...failures: ApiFailure[]): void {
    this.failures.push(...failures);
  }

  close(): Promise<void> {
    return new Promise((done) => {
      this.server.closeAllConnections();
      this.server.close(() => done());
    });
  }

  private async handle(
    provider: FakeOAuthProvider,
    dialect: MailApiDialect,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const body = await readBody(req);
    if (req.method !== "POST" || req.url !== dialect.path) return reply(res, { status: 404 });

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    this.presentedTokens.push(token);

    const failure = this.failures.shift();
    if (failure) return reply(res, failure);

    const valid =
      !this.refuseEveryToken &&
      !this.refusedTokens.has(token) &&
      (await provider.verifyAccessToken(token, dialect.scope));
    if (!valid) return reply(res, { status: 401, body: dialect.unauthorized });

    const raw = dialect.decode(body, req.headers["content-type"] ?? "");
    if (!raw) return reply(res, { status: 400, body: { error: { message: "no message" } } });

    this.received.push({ token, raw, parsed: await simpleParser(raw) });
    reply(res, dialect.accepted(`message-${this.received.length}`));
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, answer: ApiFailure): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body !== undefined) headers["content-type"] = "application/json";
  res.writeHead(answer.status, headers);
  res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
}
