import type { Transport } from "nodemailer";
import type MailMessage from "nodemailer/lib/mailer/mail-message.js";
import { ProviderApiError } from "../classify.js";
import type { OAuthProvider } from "../../auth/grant.js";

/** An answer that takes longer than this is given up on, and the mail retried later. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Hands out the mailbox's access token. Given the token that the API has just refused, it
 * returns a freshly refreshed one instead (or the one another sender refreshed meanwhile).
 */
export type AccessTokenSource = (refused?: string) => Promise<string>;

export interface ApiSendInfo {
  messageId: string;
  envelope: { from: string | false; to: string[] };
  /** The provider's own id of the sent message, when it tells one. */
  providerId?: string;
}

export interface ApiRequest {
  provider: OAuthProvider;
  url: string;
  contentType: string;
  body: string;
}

/**
 * A Nodemailer transport that composes the MIME message as any other and posts it to a
 * provider's mail API, so that delivery does not care which method a mailbox uses.
 */
export function apiTransport(
  name: string,
  token: AccessTokenSource,
  toRequest: (raw: Buffer) => ApiRequest,
): Transport<ApiSendInfo> {
  return {
    name,
    version: "1",
    send(mail: MailMessage<ApiSendInfo>, done: (error: Error | null, info: ApiSendInfo) => void) {
      buildRaw(mail)
        .then((raw) => sendWithToken(toRequest(raw), token))
        .then(async (answer) => {
          const body = (await answer.json().catch(() => ({}))) as { id?: unknown };
          done(null, {
            messageId: mail.message.messageId(),
            envelope: mail.message.getEnvelope(),
            providerId: typeof body.id === "string" ? body.id : undefined,
          });
        })
        .catch((error: Error) => done(error, undefined as never));
    },
  };
}

/**
 * The mail APIs take their recipients from the message's own headers, so Bcc must stay in
 * it; both providers remove it from the copies they deliver.
 */
function buildRaw(mail: MailMessage<ApiSendInfo>): Promise<Buffer> {
  mail.message.keepBcc = true;
  return new Promise((resolve, reject) =>
    mail.message.build((error, raw) => (error ? reject(error) : resolve(raw))),
  );
}

/**
 * Posts with the mailbox's bearer token. A 401 means the token has run out or been revoked:
 * the request is tried once more with a fresh one, and a second 401 says the grant is gone.
 */
async function sendWithToken(request: ApiRequest, token: AccessTokenSource): Promise<Response> {
  let accessToken = await token();
  let answer = await post(request, accessToken);

  if (answer.status === 401) {
    accessToken = await token(accessToken);
    answer = await post(request, accessToken);
    if (!answer.ok) throw await providerError(request.provider, answer, { afterRefresh: true });
  }

  if (!answer.ok) throw await providerError(request.provider, answer);
  return answer;
}

function post(request: ApiRequest, accessToken: string): Promise<Response> {
  return providerFetch(request.provider, request.url, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": request.contentType },
    body: request.body,
  });
}

/** `fetch`, with a deadline, and with a network failure told as the provider's. */
export async function providerFetch(
  provider: OAuthProvider,
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ProviderApiError(`could not reach ${new URL(url).host} (${reason})`, provider, 0);
  }
}

/**
 * Reads a refusal as Gmail (`{error: {code, message, errors: [{reason}]}}`), Graph
 * (`{error: {code, message}}`) and token endpoints (`{error, error_description}`) word it.
 */
export async function providerError(
  provider: OAuthProvider,
  answer: Response,
  options: { afterRefresh?: boolean } = {},
): Promise<ProviderApiError> {
  const body = (await answer.json().catch(() => null)) as ErrorBody | null;
  const error = body?.error;
  const nested = typeof error === "object" && error !== null ? error : undefined;
  const oauthError = typeof error === "string" ? error : undefined;
  const reason = nested?.errors?.[0]?.reason ?? nested?.code;
  const message =
    nested?.message ?? body?.error_description ?? oauthError ?? `HTTP ${answer.status}`;

  return new ProviderApiError(message, provider, answer.status, {
    oauthError,
    reason: typeof reason === "string" ? reason : undefined,
    retryAfterMs: retryAfterMs(answer.headers.get("retry-after")),
    afterRefresh: options.afterRefresh,
  });
}

interface ErrorBody {
  error?: string | { code?: unknown; message?: string; errors?: { reason?: string }[] };
  error_description?: string;
}

/** Retry-After is either a number of seconds or an HTTP date (RFC 9110, section 10.2.3). */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
