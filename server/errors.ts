/**
 * The one error type of the service. `code` is the stable machine word that clients branch on,
 * `message` is safe to show an admin, and `cause` keeps the private detail for the log only.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field?: string;
  readonly expose: boolean;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = status;
    this.field = options.field;
    this.expose = status < 500;
  }

  toJSON(): { code: string; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export const invalidInput = (message: string, field?: string) =>
  new AppError("invalid_input", 422, message, { field });

export const malformedJson = () =>
  new AppError("malformed_json", 400, "the request body is not valid JSON");

export const payloadTooLarge = () =>
  new AppError("payload_too_large", 413, "the request body is too large");

export const unauthorized = (message = "a valid embed token is required") =>
  new AppError("unauthorized", 401, message);

export const noMailbox = () =>
  new AppError("no_mailbox", 404, "this tenant has no mailbox; create one first");

export const mailboxExists = () =>
  new AppError("mailbox_exists", 409, "this tenant already has a mailbox; delete it first");

export const notConfigured = () =>
  new AppError("not_configured", 409, "connect the mailbox (SMTP, Google or Microsoft) first");

export const notFound = () => new AppError("not_found", 404, "no such resource");

export const rateLimited = () =>
  new AppError("rate_limited", 429, "too many requests; wait a minute and try again");

export const internal = (cause?: unknown) =>
  new AppError("internal_error", 500, "something went wrong on our side; try again later", {
    cause,
  });

export const unavailable = (cause?: unknown) =>
  new AppError("service_unavailable", 503, "the service is not available right now", { cause });
