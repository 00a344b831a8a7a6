import { AppError } from "../errors.js";

/**
 * What a failed delivery means for the mailbox:
 * - `permanent`: this message cannot be delivered (unknown recipient, too large); the mailbox
 *   is fine and the message fails;
 * - `transient`: try again later (timeouts, 4xx replies, 429 and 5xx from an API);
 * - `broken`: the mailbox's settings no longer work (login refused, consent revoked), so
 *   every message would fail the same way until the admin reconnects.
 */
export type FailureKind = "permanent" | "transient" | "broken";

export interface DeliveryFailure {
  kind: FailureKind;
  /** Stable snake_case code, shown to the admin and recorded as `lastError.code`. */
  code: string;
  /** What happened and what to change, in the admin's words. */
  message: string;
  /** The server's own reply, kept because it is often what tells the admin the real cause. */
  response?: string;
  responseCode?: number;
  command?: string;
  /** Honoured before the next attempt when the server asked for a pause. */
  retryAfterMs?: number;
}

/** Where a connection was going, to make messages concrete. */
export interface FailureContext {
  host?: string;
  port?: number;
  secure?: boolean;
}

/**
 * An error that a provider's mail API or token endpoint answered. The Gmail and Graph
 * transports throw these so that all classification stays in this module.
 */
export class ProviderApiError extends Error {
  override name = "ProviderApiError";
  constructor(
    message: string,
    readonly provider: "google" | "microsoft",
    readonly status: number,
    readonly options: {
      /** The OAuth error word of a token endpoint (`invalid_grant`, …). */
      oauthError?: string;
      /** The mail API's own error word (Gmail's `errors[].reason`, Graph's `error.code`). */
      reason?: string;
      retryAfterMs?: number;
      /** Whether a 401 came back although the token had just been refreshed. */
      afterRefresh?: boolean;
    } = {},
  ) {
    super(message);
  }
}

interface SmtpLikeError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

const TLS_CODES = new Set([
  "ETLS",
  "EREQUIRETLS",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "EPROTO",
]);

export function classify(error: unknown, context: FailureContext = {}): DeliveryFailure {
  if (error instanceof AppError) {
    const kind = error.code === "smtp_connection_failed" ? "transient" : "broken";
    return { kind, code: error.code, message: error.message };
  }
  if (error instanceof ProviderApiError) return classifyApi(error);
  return classifySmtp((error ?? {}) as SmtpLikeError, context);
}

function classifySmtp(error: SmtpLikeError, context: FailureContext): DeliveryFailure {
  const server = context.host ? `${context.host}:${context.port}` : "the SMTP server";
  const reply = error.response ? ` The server said: "${clip(error.response)}"` : "";
  const facts = {
    response: error.response ? clip(error.response) : undefined,
    responseCode: error.responseCode,
    command: error.command,
  };
  const temporary = error.responseCode !== undefined && error.responseCode < 500;

  if (error.code === "EAUTH" || error.code === "ENOAUTH") {
    if (temporary) {
      return {
        kind: "transient",
        code: "smtp_temporary_failure",
        ...facts,
        message: `${server} could not check the login just now; try again shortly.${reply}`,
      };
    }
    return {
      kind: "broken",
      code: "smtp_auth_failed",
      ...facts,
      message: `${server} refused the username or password. Check both; accounts with two-step verification usually need an app password.${reply}`,
    };
  }

  if (isTlsFailure(error)) {
    return {
      kind: "broken",
      code: "smtp_tls_failed",
      ...facts,
      message: `the secure connection to ${server} failed (${clip(error.message ?? "TLS error", 200)}). Check the TLS setting: port 465 uses TLS from the start, port 587 upgrades with STARTTLS.`,
    };
  }

  if (error.code === "ETIMEDOUT") {
    const hint =
      context.port === 465 && context.secure === false
        ? " Port 465 expects TLS from the start: set TLS to yes."
        : " Check the server name and port, and that the server accepts connections from the internet.";
    return {
      kind: "transient",
      code: "smtp_timeout",
      ...facts,
      message: `${server} did not answer in time.${hint}`,
    };
  }

  if (error.responseCode !== undefined) {
    if (temporary) {
      return {
        kind: "transient",
        code: "smtp_temporary_failure",
        ...facts,
        message: `${server} asked to try again later.${reply}`,
      };
    }
    if (error.command === "MAIL FROM") {
      return {
        kind: "broken",
        code: "smtp_sender_rejected",
        ...facts,
        message: `${server} does not let this account send as the mailbox address. Use the mailbox's own login, or allow it to send as this address.${reply}`,
      };
    }
    if (error.responseCode === 552 || error.responseCode === 523) {
      return {
        kind: "permanent",
        code: "message_too_large",
        ...facts,
        message: `the message is larger than ${server} accepts.${reply}`,
      };
    }
    return {
      kind: "permanent",
      code: "smtp_rejected",
      ...facts,
      message: `${server} refused the message.${reply}`,
    };
  }

  const cause = error.message ? ` (${clip(error.message, 200)})` : "";
  return {
    kind: "transient",
    code: "smtp_connection_failed",
    ...facts,
    message: `could not connect to ${server}${cause}. Check the server name and port.`,
  };
}

/** OAuth errors at refresh that mean the consent is gone: only a new consent helps. */
const GRANT_GONE = new Set([
  "invalid_grant",
  "unauthorized_client",
  "interaction_required",
  "consent_required",
]);

/** Mail API refusals that say "slow down" (Gmail words some of them as 403). */
const RATE_LIMITED = new Set([
  "rateLimitExceeded",
  "userRateLimitExceeded",
  "dailyLimitExceeded",
  "ApplicationThrottled",
  "ErrorExceededMessageLimit",
]);

/** Mail API refusals that say this account cannot send through the API at all. */
const MAILBOX_UNAVAILABLE = new Set([
  "failedPrecondition",
  "MailboxNotEnabledForRESTAPI",
  "MailboxNotSupportedForRESTAPI",
  "ErrorSendAsDenied",
]);

function classifyApi(error: ProviderApiError): DeliveryFailure {
  const name = error.provider === "google" ? "Google" : "Microsoft";
  const { oauthError, reason } = error.options;
  const facts = {
    responseCode: error.status,
    response: clip(error.message),
    retryAfterMs: error.options.retryAfterMs,
  };

  if (oauthError && GRANT_GONE.has(oauthError)) {
    return {
      kind: "broken",
      code: "oauth_consent_revoked",
      ...facts,
      message: `${name} no longer accepts this mailbox's consent (it was revoked or has expired). Authenticate again.`,
    };
  }
  if (oauthError === "invalid_client") {
    return {
      kind: "broken",
      code: "oauth_client_rejected",
      ...facts,
      message: `${name} refused this mail service's own client credentials. Tell your HRMS provider: the operator must renew the ${name} client secret.`,
    };
  }
  if (
    error.status === 429 ||
    error.status >= 500 ||
    error.status === 0 ||
    (reason && RATE_LIMITED.has(reason))
  ) {
    return {
      kind: "transient",
      code: "provider_unavailable",
      ...facts,
      message: `${name} is busy or unavailable; the mail will be retried.`,
    };
  }
  if (reason && MAILBOX_UNAVAILABLE.has(reason)) {
    return {
      kind: "broken",
      code: "provider_mailbox_unavailable",
      ...facts,
      message: `${name} does not let this account send mail through its API (${clip(error.message, 200)}). Check that the account has a mailbox that may send as the mailbox address.`,
    };
  }
  if ((error.status === 401 || error.status === 403) && error.options.afterRefresh !== false) {
    return {
      kind: "broken",
      code: "oauth_access_denied",
      ...facts,
      message: `${name} refused to send for this account even with a fresh token. Authenticate again, and check that the account may send mail.`,
    };
  }
  if (error.status === 413 || reason === "ErrorMessageSizeExceeded") {
    return {
      kind: "permanent",
      code: "message_too_large",
      ...facts,
      message: `the message is larger than ${name} accepts.`,
    };
  }
  return {
    kind: "permanent",
    code: "provider_rejected",
    ...facts,
    message: `${name} refused the message: ${clip(error.message)}`,
  };
}

function isTlsFailure(error: SmtpLikeError): boolean {
  if (error.code && TLS_CODES.has(error.code)) return true;
  return /certificate|ssl routines|tls/i.test(error.message ?? "");
}

function clip(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
