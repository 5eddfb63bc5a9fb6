import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../../platform/logger';
import { sha256 } from '../../platform/secrets';

export interface RegistrySourceOptions {
  /** Registry base URL, e.g. http://registry:4100. */
  url: string;
  /** A registry token with the read scope. */
  token: string;
  /** Pause between two polls; default 10 000 ms. */
  pollIntervalMs?: number;
  /** Where the last supergraph received is kept, to boot from when the registry is unreachable. */
  cachePath: string;
  /** Per-request timeout; default 5 000 ms. */
  timeoutMs?: number;
}

/** The registry's ETag is the SHA-256 of the document, so a cached copy has one too. */
const etagOf = (sdl: string) => `"${sha256(sdl)}"`;

/** Replaces the cache in one step: a crash mid-write must not leave half a supergraph to boot from. */
function writeCache(file: string, sdl: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, sdl);
  renameSync(`${file}.tmp`, file);
}

/**
 * Supergraph from the schema registry: fetched at start, then polled with If-None-Match (the
 * registry answers 304 while nothing changed) and handed to the gateway with `update()`, which
 * swaps schema and query planner between requests (in-flight ones finish on the old one).
 * While the registry is down or answers something the gateway rejects, the last good supergraph
 * keeps serving; every good one is cached on disk, and a gateway that boots while the registry
 * is unreachable starts from that copy and catches up at the next successful poll.
 */
export function registrySupergraph(opts: RegistrySourceOptions, logger: Logger): SupergraphSdlHook {
  const endpoint = new URL('/v1/supergraph', opts.url);
  return async ({ update }) => {
    let etag: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let failing = false;

    /** The new supergraph, or null when the registry says ours is current. */
    const fetchSdl = async (): Promise<string | null> => {
      const res = await fetch(endpoint, {
        headers: { authorization: `Bearer ${opts.token}`, ...(etag ? { 'if-none-match': etag } : {}) },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      });
      if (res.status === 304) return null;
      if (!res.ok) throw new Error(`registry answered HTTP ${res.status}`);
      return res.text();
    };

    const poll = async () => {
      try {
        const sdl = await fetchSdl();
        if (failing) logger.info({ registry: opts.url }, 'schema registry reachable again');
        failing = false;
        if (sdl !== null && !stopped) {
          // Set first: a version the gateway rejects is not fetched again (the next one has another ETag).
          etag = etagOf(sdl);
          try {
            update(sdl);
          } catch (err) {
            logger.error({ err, etag }, 'supergraph from the registry rejected; keeping the current one');
            return;
          }
          writeCache(opts.cachePath, sdl);
          logger.info({ etag }, 'supergraph updated from the registry');
        }
      } catch (err) {
        // Logged once per outage, not at every poll.
        if (!failing) logger.warn({ err, registry: opts.url }, 'schema registry poll failed; keeping the current supergraph');
        failing = true;
      } finally {
        if (!stopped) timer = setTimeout(poll, opts.pollIntervalMs ?? 10_000);
      }
    };

    let supergraphSdl: string;
    try {
      supergraphSdl = (await fetchSdl())!;
      writeCache(opts.cachePath, supergraphSdl);
    } catch (err) {
      if (!existsSync(opts.cachePath))
        throw new Error(`schema registry unreachable (${(err as Error).message}) and no cached supergraph at ${opts.cachePath}`);
      logger.warn(
        { err, registry: opts.url, cache: opts.cachePath },
        'schema registry unreachable at start; serving the cached supergraph',
      );
      supergraphSdl = readFileSync(opts.cachePath, 'utf8');
      failing = true;
    }
    etag = etagOf(supergraphSdl);
    timer = setTimeout(poll, opts.pollIntervalMs ?? 10_000);
    return {
      supergraphSdl,
      cleanup: async () => {
        stopped = true;
        clearTimeout(timer);
      },
    };
  };
}
