import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../../platform/logger';
import { sha256 } from '../../platform/secrets';

/**
 * Serves the supergraph from a file and hands every changed version to the gateway without a
 * restart. It watches the folder (editors and `mv` replace the file, which a file watch loses)
 * and ignores unchanged content. A version the gateway rejects is logged and the running one
 * stays: a bad file never takes the endpoint down.
 */
export function fileSupergraph(file: string, logger: Logger, opts: { debounceMs?: number } = {}): SupergraphSdlHook {
  return async ({ update }) => {
    const read = () => readFileSync(file, 'utf8');
    const initial = read();
    let current = sha256(initial);
    let timer: NodeJS.Timeout | undefined;
    const reload = () => {
      let sdl: string;
      try {
        sdl = read();
      } catch (err) {
        logger.warn({ err, file }, 'supergraph file unreadable; keeping the current schema');
        return;
      }
      const next = sha256(sdl);
      if (!sdl.trim() || next === current) return;
      try {
        update(sdl);
        current = next;
        logger.info({ file, hash: next.slice(0, 12) }, 'supergraph reloaded');
      } catch (err) {
        logger.error({ err, file }, 'supergraph update rejected; keeping the current schema');
      }
    };
    const watcher: FSWatcher = watch(path.dirname(path.resolve(file)), (_event, name) => {
      if (name && name.toString() !== path.basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(reload, opts.debounceMs ?? 100);
    });
    return {
      supergraphSdl: initial,
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}
