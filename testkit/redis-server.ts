import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { eventually } from './eventually';
import { freePort } from './services';

export interface OwnRedisOptions {
  /**
   * Keep data across restarts with the append-only file, as production runs Redis. Default
   * true; false = a restart loses every stream (what the shared test Redis, with no
   * persistence, does).
   */
  persist?: boolean;
}

/**
 * A redis-server of a test's own on a free port, that the test can stop (gracefully or with
 * SIGKILL) and start again on the same port, without disturbing anyone else's Redis.
 */
export async function startRedisServer(opts: OwnRedisOptions = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', opts.persist === false ? 'no' : 'yes', '--save', ''],
      { stdio: 'ignore' },
    );
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await eventually(async () => {
        await probe.connect().catch(() => undefined);
        expect(await probe.ping()).toBe('PONG');
      });
    } finally {
      probe.disconnect();
    }
  };
  /** SIGTERM (Redis saves and exits), or SIGKILL with `{ kill: true }` (a crash). */
  const stop = async ({ kill = false } = {}) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(kill ? 'SIGKILL' : 'SIGTERM');
    await exited;
    child = undefined;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type OwnRedis = Awaited<ReturnType<typeof startRedisServer>>;
