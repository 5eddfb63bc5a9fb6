import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import type WebSocket from 'ws';
import { ClientSocket } from './client-socket';
import { ConnectionRegistry } from './connection-registry';
import { createSubscriptionMetrics } from './metrics';

/**
 * The parts of a ws WebSocket a ClientSocket uses. `close` is answered by a close event unless the
 * peer is stalled; like ws, events come later, never from inside the call (a promise, which fake
 * timers leave alone).
 */
class FakeWs extends EventEmitter {
  readonly OPEN = 1;
  readonly CLOSED = 3;
  readyState = this.OPEN;
  bufferedAmount = 0;
  closedWith?: number;
  terminated = false;
  constructor(private readonly stalled = false) {
    super();
  }
  close(code: number) {
    this.closedWith = code;
    if (!this.stalled) this.closed(code);
  }
  terminate() {
    this.terminated = true;
    this.closed(1006);
  }
  private closed(code: number) {
    void Promise.resolve().then(() => {
      if (this.readyState === this.CLOSED) return;
      this.readyState = this.CLOSED;
      this.emit('close', code, Buffer.alloc(0));
    });
  }
}

describe('connection registry', () => {
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  let revoke: (sessionId: string) => void;
  let listening: boolean;
  let metrics: ReturnType<typeof createSubscriptionMetrics>;
  let registry: ConnectionRegistry;

  beforeEach(() => {
    listening = false;
    metrics = createSubscriptionMetrics(new Registry());
    registry = new ConnectionRegistry(
      {
        onRevoked(listener) {
          revoke = listener;
          listening = true;
          return () => (listening = false);
        },
      },
      metrics,
    );
  });
  afterEach(() => jest.useRealTimers());

  /** An open, authenticated connection of `sessionId` whose token expires in `expiresIn` seconds. */
  function connect(sessionId: string | undefined, expiresIn = 900, stalled = false) {
    const ws = new FakeWs(stalled);
    const client = new ClientSocket(ws as unknown as WebSocket);
    ws.once('close', () => registry.delete(client));
    registry.add(client);
    client.viewer = {
      tenant: { id: 't1', slug: 'demo' },
      user: { id: `u-${sessionId}`, roles: ['STUDENT'], sessionId, expiresAt: nowSeconds() + expiresIn },
      ip: '10.0.0.1',
    };
    registry.track(client);
    return { ws, client };
  }
  const closes = async (reason: string) => (await metrics.closes.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  const sockets = async () => (await metrics.sockets.get()).values[0]?.value;

  it('closes the connections of a revoked session, and only those', async () => {
    const [a, b] = [connect('s1'), connect('s1')];
    const other = connect('s2');
    expect(await sockets()).toBe(3);
    revoke('s1');
    expect([a.ws.closedWith, b.ws.closedWith, other.ws.closedWith]).toEqual([4403, 4403, undefined]);
    expect(await closes('session_revoked')).toBe(2);
    await settled();
    expect(registry.clients).toEqual(new Set([other.client]));
    expect(await sockets()).toBe(1);
  });

  it('forgets a connection once it is over', async () => {
    const { ws, client } = connect('s1');
    registry.untrack(client);
    revoke('s1');
    expect(ws.closedWith).toBeUndefined();
    expect(await closes('session_revoked')).toBe(0);
  });

  it('closes a connection when its access token expires', async () => {
    jest.useFakeTimers();
    const expired = connect('s1', 0);
    expect(expired.ws.closedWith).toBe(4401);
    const later = connect('s2', 60);
    jest.advanceTimersByTime(59_000);
    expect(later.ws.closedWith).toBeUndefined();
    jest.advanceTimersByTime(1_000);
    expect(later.ws.closedWith).toBe(4401);
    expect(await closes('token_expired')).toBe(2);

    const gone = connect('s3', 60);
    gone.ws.close(1000);
    await Promise.resolve();
    jest.advanceTimersByTime(60_000);
    expect(gone.ws.closedWith).toBe(1000);
    expect(await closes('token_expired')).toBe(2);
  });

  it('closes every client with 1001 on shutdown, cuts the stalled ones after the grace time, and stops following revocations', async () => {
    const prompt = connect('s1');
    const stalled = connect('s2', 900, true);
    const closing = registry.closeAll(50);
    expect(listening).toBe(false);
    expect([prompt.ws.closedWith, stalled.ws.closedWith]).toEqual([1001, 1001]);
    await closing;
    expect([prompt.ws.terminated, stalled.ws.terminated]).toEqual([false, true]);
    expect(registry.clients.size).toBe(0);
  });
});
