import pino, { type Logger } from 'pino';
import { requestScope } from './request-context';

export type { Logger };

/**
 * JSON logs (pino) tagged with the service name; every line written inside a request also
 * carries its request id, tenant and user, taken from the async request scope.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const scope = requestScope.get();
      return scope ? { requestId: scope.requestId, tenant: scope.tenant, userId: scope.userId } : {};
    },
    redact: {
      paths: ['password', '*.password', 'refreshToken', '*.refreshToken', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  });
}
