import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { messagingConfigFromEnv } from '../env';
import { nextDigestAt } from './digest';
import { openSealer, sealKeyFile } from './seal';

describe('sealed secret variables', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'seal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens what it sealed, and nothing altered or sealed with another key', async () => {
    const sealer = await openSealer({ sealKey: 'a-key-of-at-least-thirty-two-characters!', database: { dataDir: dir } });
    const sealed = sealer.seal({ token: 'reset-123', code: '4242' });
    expect(sealed).not.toContain('reset-123');
    expect(sealer.unseal(sealed)).toEqual({ token: 'reset-123', code: '4242' });
    // Random IV: the same secrets never seal the same twice.
    expect(sealer.seal({ token: 'reset-123' })).not.toBe(sealer.seal({ token: 'reset-123' }));
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => sealer.unseal([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => sealer.unseal('not sealed')).toThrow('not a sealed value');
    const other = await openSealer({ sealKey: 'another-key-of-at-least-thirty-two-chars', database: { dataDir: dir } });
    expect(() => other.unseal(sealed)).toThrow();
  });

  it('generates a key once under DATA_DIR without MESSAGING_SEAL_KEY, and keeps using it', async () => {
    const first = await openSealer({ database: { dataDir: dir } });
    const sealed = first.seal({ token: 't' });
    const file = sealKeyFile(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    const again = await openSealer({ database: { dataDir: dir } });
    expect(again.unseal(sealed)).toEqual({ token: 't' });
  });

  it('refuses to start in production without MESSAGING_SEAL_KEY', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    try {
      expect(() => messagingConfigFromEnv({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow('exit 1');
      expect(String(stderr.mock.calls[0]?.[0])).toContain('MESSAGING_SEAL_KEY is required in production');
      const config = messagingConfigFromEnv({ NODE_ENV: 'production', DATA_DIR: dir, MESSAGING_SEAL_KEY: 'k'.repeat(32) });
      expect(config.sealKey).toBe('k'.repeat(32));
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });
});

describe('digest times (17:00 Cairo; weekly on Thursday)', () => {
  it('is today at 17:00 Cairo before it, tomorrow after it (winter, UTC+2)', () => {
    // Monday 7 December 2026.
    expect(nextDigestAt('DAILY', new Date('2026-12-07T10:00:00Z')).toISOString()).toBe('2026-12-07T15:00:00.000Z');
    expect(nextDigestAt('DAILY', new Date('2026-12-07T15:00:00Z')).toISOString()).toBe('2026-12-08T15:00:00.000Z');
    expect(nextDigestAt('DAILY', new Date('2026-12-07T22:30:00Z')).toISOString()).toBe('2026-12-08T15:00:00.000Z');
    expect(nextDigestAt('WEEKLY', new Date('2026-12-07T10:00:00Z')).toISOString()).toBe('2026-12-10T15:00:00.000Z');
    expect(nextDigestAt('WEEKLY', new Date('2026-12-10T15:00:01Z')).toISOString()).toBe('2026-12-17T15:00:00.000Z');
  });

  it('follows daylight saving time (summer, UTC+3)', () => {
    // Wednesday 1 July 2026.
    expect(nextDigestAt('DAILY', new Date('2026-07-01T09:00:00Z')).toISOString()).toBe('2026-07-01T14:00:00.000Z');
    expect(nextDigestAt('WEEKLY', new Date('2026-07-01T09:00:00Z')).toISOString()).toBe('2026-07-02T14:00:00.000Z');
  });
});
