import type { ConsumeOptions } from './message-broker';

/**
 * What both broker adapters decide the same way: defaults, where a failed delivery goes next, and
 * what a dead letter records about its last failure.
 */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 10_000, 60_000];
export const DEFAULT_PREFETCH = 20;

/** Set on a dead letter: the last error, for whoever inspects or replays it. */
export const ERROR_HEADER = 'x-error';
const MAX_ERROR_LENGTH = 1_000;

export interface ConsumerSettings {
  bindings: string[];
  retryDelaysMs: number[];
  prefetch: number;
}

/** Fills in the defaults and refuses settings the broker would choke on later. */
export function consumerSettings(opts: ConsumeOptions): ConsumerSettings {
  const retryDelaysMs = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const prefetch = opts.prefetch ?? DEFAULT_PREFETCH;
  if (!retryDelaysMs.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new RangeError('retryDelaysMs must be whole, non-negative milliseconds');
  }
  if (!Number.isSafeInteger(prefetch) || prefetch < 1) throw new RangeError('prefetch must be a positive integer');
  return { bindings: [...opts.bindings], retryDelaysMs: [...retryDelaysMs], prefetch };
}

/** The delay before the attempt after `attempt` failed, or undefined: retries are exhausted. */
export function retryDelay(settings: ConsumerSettings, attempt: number): number | undefined {
  return settings.retryDelaysMs[attempt - 1];
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, MAX_ERROR_LENGTH);
}
