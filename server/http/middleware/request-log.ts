import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { flatFieldsLogger, type Logger } from "../../log.js";

/** One line per request, with its id; never its body, its query or its headers. */
export function requestLog(log: Logger) {
  const lines = flatFieldsLogger(log);

  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = randomUUID();
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);

    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      lines.info(
        {
          requestId,
          tenant: req.admin?.tenant,
          httpMethod: req.method,
          path: req.originalUrl.split("?")[0],
          status: res.statusCode,
          ms,
        },
        "request",
      );
    });
    next();
  };
}
