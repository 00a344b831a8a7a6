import { AppError } from "../errors.js";
import { PROVIDER_NAMES, type OAuthProvider } from "./grant.js";

/** The ways a consent can end without a connection; each leaves the mailbox as it was. */

export const methodUnavailable = (provider: OAuthProvider) =>
  new AppError(
    "method_unavailable",
    409,
    `${PROVIDER_NAMES[provider]} sign-in is not set up on this service; use SMTP, or ask the operator to turn it on`,
  );

export const invalidTicket = () =>
  new AppError(
    "invalid_ticket",
    400,
    "this sign-in address has expired or was used already; start again from the mailbox settings",
  );

export const invalidState = () =>
  new AppError(
    "invalid_state",
    400,
    "this sign-in does not belong to one that was started here, or it was finished already; start again from the mailbox settings",
  );

export const consentDenied = (provider: OAuthProvider) =>
  new AppError(
    "consent_denied",
    403,
    `permission to send email was not given at ${PROVIDER_NAMES[provider]}; start again and allow it`,
  );

export const accountMismatch = (account: string | undefined, address: string) =>
  new AppError(
    "account_mismatch",
    403,
    `you signed in as ${account ?? "an account without an email address"}, not as the mailbox address ${address}; sign in with ${address}`,
  );

export const missingScope = (provider: OAuthProvider) =>
  new AppError(
    "missing_scope",
    422,
    `permission to send email was not granted at ${PROVIDER_NAMES[provider]}; start again and leave "send email on your behalf" ticked`,
  );

export const missingRefreshToken = (provider: OAuthProvider) =>
  new AppError(
    "missing_refresh_token",
    422,
    `${PROVIDER_NAMES[provider]} granted access for an hour only; remove this service from the account's connected apps, then start again`,
  );

export const consentFailed = (provider: OAuthProvider, cause?: unknown) =>
  new AppError(
    "oauth_failed",
    502,
    `the sign-in at ${PROVIDER_NAMES[provider]} did not complete; try again in a moment`,
    { cause },
  );

export const notConnected = (provider: OAuthProvider) =>
  new AppError(
    "oauth_not_connected",
    409,
    `no ${PROVIDER_NAMES[provider]} consent is stored for this mailbox; authenticate again`,
  );
