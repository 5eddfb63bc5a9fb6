import type { Logger } from '../../platform/logger';

/** The registry a gateway polls: its URL and a `read` token (the supergraph's). */
export interface RegistryAccess {
  url: string;
  token: string;
  timeoutMs?: number;
}

/** A registry answer: a new value with its ETag, or "unchanged" (304). */
export type Polled<T> = { etag?: string; value: T } | 'unchanged';

/** GETs `path` from the registry with `If-None-Match`; `notFound` is the value of a 404. */
export async function registryGet<T>(
  access: RegistryAccess,
  path: string,
  etag: string | undefined,
  read: (res: Response) => Promise<T>,
  notFound?: T,
): Promise<Polled<T>> {
  const res = await fetch(new URL(path, access.url), {
    headers: { authorization: `Bearer ${access.token}`, ...(etag ? { 'if-none-match': etag } : {}) },
    signal: AbortSignal.timeout(access.timeoutMs ?? 5_000),
  });
  if (res.status === 304) return 'unchanged';
  if (res.status === 404 && notFound !== undefined) return { value: notFound };
  if (!res.ok) throw new Error(`registry answered HTTP ${res.status} for ${path}`);
  return { etag: res.headers.get('etag') ?? undefined, value: await read(res) };
}

/**
 * Loads a value at start and reloads it every interval, as trusted documents do: while the
 * registry fails the last value stays (one warning per outage); until a first load succeeds
 * `loaded` is false and callers refuse rather than guess.
 */
export function registryPoller<T>(opts: {
  name: string;
  load: (etag: string | undefined) => Promise<Polled<T>>;
  onValue: (value: T) => void;
  pollIntervalMs: number;
  logger: Logger;
}) {
  let etag: string | undefined;
  let loaded = false;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const reload = async () => {
    try {
      const polled = await opts.load(etag);
      if (polled !== 'unchanged') {
        opts.onValue(polled.value);
        etag = polled.etag;
      }
      loaded = true;
      if (failing) opts.logger.info({ what: opts.name }, 'registry reachable again');
      failing = false;
    } catch (err) {
      if (!failing) opts.logger.warn({ err: (err as Error).message, what: opts.name }, 'registry unavailable; keeping the last value');
      failing = true;
    }
  };

  return {
    get loaded() {
      return loaded;
    },
    /** One reload now (the next poll's work); concurrent calls share it. */
    reload(): Promise<void> {
      running ??= reload().finally(() => (running = undefined));
      return running;
    },
    async start() {
      await this.reload();
      timer = setInterval(() => void this.reload(), opts.pollIntervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
