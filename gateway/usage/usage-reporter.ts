import type { Logger } from '../../platform/logger';

export interface UsageReporterOptions {
  /** Registry base URL. */
  url: string;
  /** A registry token with the read scope. */
  token: string;
  /** How often counts are sent; default 10 000 ms. */
  flushIntervalMs?: number;
  /** Distinct operations held before an early flush; default 1 000. */
  maxOperations?: number;
  /** Per-request timeout; default 5 000 ms. */
  timeoutMs?: number;
}

interface Pending {
  id: string;
  name: string | null;
  client: string;
  /** Set for partner API-key calls (gateway/partner). */
  partner?: string;
  count: number;
  fields: string[];
}

/**
 * Batches sampled operations into one report per interval (one row per operation and client,
 * with a count) and posts it to the registry. A report the registry cannot take is merged back
 * and sent with the next one; usage is best-effort and never slows or fails a request.
 */
export class UsageReporter {
  private pending = new Map<string, Pending>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly opts: UsageReporterOptions,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushIntervalMs ?? 10_000);
    this.timer.unref();
  }

  record(op: { id: string; name: string | null; client: string; partner?: string; fields: () => string[] }): void {
    // A partner's calls are kept apart from a first-party client that happens to send its name.
    const key = `${op.id}\n${op.client}\n${op.partner ?? ''}`;
    const seen = this.pending.get(key);
    if (seen) {
      seen.count++;
      return;
    }
    this.pending.set(key, { id: op.id, name: op.name, client: op.client, partner: op.partner, count: 1, fields: op.fields() });
    if (this.pending.size >= (this.opts.maxOperations ?? 1_000)) void this.flush();
  }

  /** Sends what is pending; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.send());
    return this.flushing;
  }

  /** Stops the timer and sends the last batch. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async send(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      const res = await fetch(new URL('/v1/usage', this.opts.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ operations: [...batch.values()] }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5_000),
      });
      if (!res.ok) throw new Error(`registry answered HTTP ${res.status}`);
    } catch (err) {
      this.logger.warn({ err, operations: batch.size }, 'usage report not accepted; kept for the next one');
      for (const [key, p] of batch) {
        const now = this.pending.get(key);
        if (now) now.count += p.count;
        else this.pending.set(key, p);
      }
    }
  }
}
