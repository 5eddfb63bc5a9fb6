import type { Logger } from './logger';

export interface PeriodicJob {
  /** Runs it now (tests, and the timer). Runs never overlap. */
  run(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs` (0 = only when `run()` is called), one run at a time; a failing
 * run is logged and the next goes ahead. `stop()` waits for a run in progress.
 */
export function periodic(name: string, intervalMs: number, work: () => Promise<void>, logger: Logger): PeriodicJob {
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = () => {
    running ??= work()
      .catch((err) => logger.error({ err, job: name }, 'periodic job failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => void run().then(schedule), intervalMs);
    timer.unref();
  };
  schedule();
  return {
    run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
