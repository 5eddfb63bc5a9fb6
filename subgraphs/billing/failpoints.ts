import type { Logger } from '../../platform/logger';

/**
 * Named points where a test stops the process (BILLING_FAILPOINTS): reaching one logs
 * `failpoint reached` and waits forever, so that e2e/billing-crash.e2e.ts can SIGKILL the process
 * exactly there (between a callback's arrival and its commit, between the commit and the answer).
 * With nothing configured, every point is a no-op.
 */
export type Failpoint = (name: 'settlement.before-commit' | 'webhook.after-commit') => Promise<void>;

export function createFailpoints(enabled: ReadonlySet<string>, logger: Logger): Failpoint {
  if (!enabled.size) return async () => {};
  logger.warn({ failpoints: [...enabled] }, 'test failpoints are enabled');
  return async (name) => {
    if (!enabled.has(name)) return;
    logger.warn({ failpoint: name }, 'failpoint reached');
    await new Promise<never>(() => {});
  };
}
