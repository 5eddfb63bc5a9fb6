import pino, { type Logger } from 'pino';
import { requestScope } from './request-context';

export type { Logger };

/**
 * Secrets a log line must never show, wherever they sit: credentials, and the tokens and codes
 * that domain events carry for delivery (`password.reset.requested`, `invitation.created`:
 * `token`; `pairing.code.created`: `code`), also inside a logged event envelope or broker message
 * (`payload.payload.token`). A pino path wildcard spans one level, hence one path per depth.
 */
const SECRET_KEYS = ['password', 'currentPassword', 'newPassword', 'refreshToken', 'authorization', 'token'];
const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  // `code` is also an error's code: only an event payload's is redacted.
  ...['payload.code', '*.payload.code', 'payload.payload.code', '*.payload.payload.code'],
];

/**
 * JSON logs (pino) tagged with the service name; every line written inside a request also
 * carries its request id, tenant and user, taken from the async request scope.
 */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  /** Where lines go; default standard output. */
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const scope = requestScope.get();
      return scope ? { requestId: scope.requestId, tenant: scope.tenant, userId: scope.userId } : {};
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
