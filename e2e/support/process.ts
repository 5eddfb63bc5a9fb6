import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testServices } from '../../platform/testkit/services';

export interface RunningProcess {
  proc: ChildProcess;
  /** The first URL the process announced. */
  url: string;
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Starts `node dist/<entry>` (build first: `npm run build`) and resolves once its output
 * matches `ready`, whose first capture group is the URL it serves.
 */
export function startProcess(entry: string, env: Record<string, string>, ready: RegExp, timeoutMs = 60_000): Promise<RunningProcess> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready within ${timeoutMs} ms:\n${out.slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          proc,
          url: m[1],
          output: () => out,
          async stop(graceMs = 15_000) {
            if (proc.exitCode !== null) return proc.exitCode;
            proc.kill('SIGTERM');
            const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(kill);
            return code;
          },
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${out.slice(-3000)}`));
    });
  });
}

/**
 * Environment of a production-mode deployment on the machine's MariaDB, Redis and RabbitMQ whose
 * databases and Redis keys all start with `prefix` (so one run never sees another's data).
 */
export function productionEnv(prefix: string, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: `${testServices.mysqlUrl}/${prefix}`,
    REDIS_URL: testServices.redisUrl,
    AMQP_URL: testServices.amqpUrl,
    REDIS_KEY_PREFIX: `${prefix}:`,
    HOST: '127.0.0.1',
  };
}
