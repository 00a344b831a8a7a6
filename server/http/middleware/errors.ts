import type { NextFunction, Request, Response } from "express";
import { AppError, internal, malformedJson, notFound, payloadTooLarge } from "../../errors.js";
import type { Logger } from "../../log.js";

/** Turns anything thrown into the JSON error of DESIGN.md; unknown errors become a plain 500. */
export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = toAppError(error);
    const fields = { requestId: res.locals.requestId, tenant: req.admin?.tenant, code: known.code };
    if (known.status >= 500) log.error({ ...fields, err: error }, "request failed");
    else log.debug(fields, "request refused");

    if (res.headersSent) return;
    res.status(known.status).json({ error: known.toJSON() });
  };
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction) {
  next(notFound());
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const type = (error as { type?: string } | null)?.type;
  if (type === "entity.parse.failed") return malformedJson();
  if (type === "entity.too.large") return payloadTooLarge();
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return new AppError("unsupported_encoding", 415, "send the body as UTF-8 JSON");
  }
  return internal(error);
}
