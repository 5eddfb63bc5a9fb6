import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface BenchProcess {
  proc: ChildProcess;
  url: string;
  /** CPU seconds (user + system) the process has used so far, from /proc. */
  cpuSeconds(): number;
  /** Resident memory in MiB now, and the peak (VmHWM). */
  memory(): { rssMiB: number; peakMiB: number };
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const TICKS = 100; // USER_HZ on Linux

function procStat(pid: number): { cpu: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { cpu: (Number(fields[11]) + Number(fields[12])) / TICKS };
}

function procStatus(pid: number, key: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l: string) => l.startsWith(key));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
}

/** Starts `node dist/<entry>` and resolves with the URL its output announces (first capture of `ready`). */
export function startNode(entry: string, env: Record<string, string>, ready: RegExp): Promise<BenchProcess> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (!m) return;
      proc.stdout!.off('data', onData);
      proc.stderr!.off('data', onData);
      resolve({
        proc,
        url: m[1],
        cpuSeconds: () => procStat(proc.pid!).cpu,
        memory: () => ({ rssMiB: procStatus(proc.pid!, 'VmRSS:'), peakMiB: procStatus(proc.pid!, 'VmHWM:') }),
        stop: () =>
          new Promise((done) => {
            if (proc.exitCode !== null) return done();
            proc.once('exit', () => done());
            proc.kill('SIGTERM');
          }),
      });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${entry} exited (${code}):\n${out.slice(-2000)}`)));
  });
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
