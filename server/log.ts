import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Field names are fixed across the service: tenant, mailbox, method, messageId, requestId.
 * Secrets never reach a log line: credentials are not passed to the logger at all, and these
 * paths are censored in case a whole object slips through.
 */
const REDACT = [
  "password",
  "*.password",
  "pass",
  "*.pass",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "credentials",
  "*.credentials",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "email-integration" },
      redact: { paths: REDACT, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
