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

const CENSOR = "[redacted]";

/** The paths that name a field of the line itself rather than one inside an object. */
const TOP_LEVEL_REDACT = REDACT.filter((path) => !path.startsWith("*."));

/** Loggers made here, whose settings are ours to narrow; a host's logger keeps its own. */
const ours = new WeakSet<Logger>();

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const log = pino(
    {
      level,
      base: { service: "email-integration" },
      redact: { paths: REDACT, censor: CENSOR },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
  ours.add(log);
  return log;
}

/**
 * A logger for lines whose fields are all strings and numbers, such as the one per request.
 * pino runs the wildcard paths (`*.password`) on every field of every line, which was most of
 * what a request line cost, yet they can only match inside an object; the other paths still
 * apply, so such a line comes out the same.
 */
export function flatFieldsLogger(log: Logger): Logger {
  if (!ours.has(log)) return log;
  return log.child({}, { redact: { paths: TOP_LEVEL_REDACT, censor: CENSOR } });
}
