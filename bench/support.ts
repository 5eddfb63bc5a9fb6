import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startProcess, type RunningProcess } from '../testkit/process';

export { listening } from '../testkit/process';

export interface BenchProcess extends RunningProcess {
  /** CPU seconds (user + system) the process has used so far, from /proc. */
  cpuSeconds(): number;
  /** Resident memory in MiB now, and the peak (VmHWM). */
  memory(): { rssMiB: number; peakMiB: number };
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function procStatus(pid: number, key: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l: string) => l.startsWith(key));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
}

/** Starts `node dist/<entry>` in production mode and resolves with the URL its output announces (first capture of `ready`). */
export async function startNode(entry: string, env: Record<string, string>, ready: RegExp): Promise<BenchProcess> {
  const started = await startProcess(entry, { NODE_ENV: 'production', ...env }, ready);
  const pid = started.proc.pid!;
  return {
    ...started,
    cpuSeconds: () => cpuSecondsOf(pid),
    memory: () => ({ rssMiB: procStatus(pid, 'VmRSS:'), peakMiB: procStatus(pid, 'VmHWM:') }),
  };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** What every service a benchmark starts is given: its data folder, Redis and key prefix. */
export const serviceEnv = (dir: string, redisUrl: string, prefix: string): Record<string, string> => ({
  DATA_DIR: dir,
  HOST: '127.0.0.1',
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: prefix,
  LOG_LEVEL: 'info',
});

/**
 * BENCH_PROFILE_DIR: a V8 CPU profile of a started process, written there as
 * `<label>-<pid>.cpuprofile` (cpu-profile-hook.ts); nothing when it is not set.
 */
export function profileEnv(label?: string): Record<string, string> {
  if (!process.env.BENCH_PROFILE_DIR) return {};
  return {
    NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile-hook.js')}`,
    BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR,
    ...(label ? { BENCH_PROFILE_LABEL: label } : {}),
  };
}
