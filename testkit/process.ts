import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface RunningProcess {
  proc: ChildProcess;
  /** The first URL the process announced. */
  url: string;
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/** The repository root, whether this runs from its source (tests) or compiled under dist/ (benchmarks). */
const HERE = path.resolve(__dirname, '..');
const ROOT = path.basename(HERE) === 'dist' ? path.dirname(HERE) : HERE;

/** What a service logs once it listens, its URL in the first capture group (`startProcess`'s `ready`). */
export const listening = (service: string) => new RegExp(`"url":"(http://[^"]+)","msg":"${service} listening"`);

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
    let announced = false;
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = announced ? null : ready.exec(out);
      if (!m) return;
      announced = true;
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
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${out.slice(-3000)}`));
    });
  });
}
