import { EventEmitter } from 'node:events';
import { startKeepAliveSweeper, type Pingable } from './keep-alive-sweeper';

/** A connection whose peer answers pings (or not); terminating it removes it, as its socket's close does. */
function fakeClient(clients: Set<Pingable>, answers: boolean) {
  const ws = Object.assign(new EventEmitter(), {
    pings: 0,
    terminations: 0,
    ping() {
      ws.pings++;
      if (answers) ws.emit('pong');
    },
    terminate() {
      ws.terminations++;
      clients.delete(client);
    },
  });
  const client = { alive: true, ws };
  clients.add(client);
  return client;
}

describe('keep-alive sweeper', () => {
  const keepAliveMs = 480;
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('pings every client once a round and drops one that did not answer the previous ping', () => {
    const clients = new Set<Pingable>();
    const sweeper = startKeepAliveSweeper(clients, keepAliveMs);
    const answering = fakeClient(clients, true);
    const silent = fakeClient(clients, false);
    sweeper.watch(answering);
    sweeper.watch(silent);

    jest.advanceTimersByTime(keepAliveMs);
    expect([answering.ws.pings, silent.ws.pings]).toEqual([1, 1]);
    expect(silent.ws.terminations).toBe(0);

    jest.advanceTimersByTime(keepAliveMs);
    expect(silent.ws.terminations).toBe(1);
    expect(clients.has(silent)).toBe(false);
    expect(answering.ws.pings).toBe(2);

    jest.advanceTimersByTime(5 * keepAliveMs);
    expect([answering.ws.pings, answering.ws.terminations, silent.ws.pings]).toEqual([7, 0, 1]);
    sweeper.stop();
  });

  it('spreads a round over the interval instead of pinging everyone at once', () => {
    const clients = new Set<Pingable>();
    const sweeper = startKeepAliveSweeper(clients, keepAliveMs);
    const all = Array.from({ length: 480 }, () => fakeClient(clients, true));
    all.forEach((c) => sweeper.watch(c));

    jest.advanceTimersByTime(keepAliveMs / 48);
    expect(all.filter((c) => c.ws.pings > 0)).toHaveLength(10);
    jest.advanceTimersByTime(keepAliveMs - keepAliveMs / 48);
    expect(all.every((c) => c.ws.pings === 1)).toBe(true);
    sweeper.stop();
  });

  it('stops pinging once stopped', () => {
    const clients = new Set<Pingable>();
    const sweeper = startKeepAliveSweeper(clients, keepAliveMs);
    const client = fakeClient(clients, false);
    sweeper.stop();
    jest.advanceTimersByTime(3 * keepAliveMs);
    expect([client.ws.pings, client.ws.terminations]).toEqual([0, 0]);
  });
});
