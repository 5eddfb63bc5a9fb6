/** What the sweep needs of a connection (a ClientSocket). */
export interface Pingable {
  /** False once a ping is unanswered. */
  alive: boolean;
  ws: {
    ping(): void;
    terminate(): void;
    on(event: 'pong', listener: () => void): unknown;
  };
}

export interface KeepAliveSweeper {
  /** Marks the client alive on every pong it sends. */
  watch(client: Pingable): void;
  stop(): void;
}

/** Ticks per round: each tick pings 1/SLICES of the clients. */
const SLICES = 48;

/**
 * Pings each client once per `keepAliveMs` and drops (terminates) one that has not answered the
 * previous ping: a peer that vanished without a close frame (a phone losing its network) would
 * otherwise hold its subscriptions, and their share of every event, until TCP gives up.
 *
 * The sweep is spread over the interval in small slices: pinging 10,000 sockets in one go stalls
 * the event loop long enough to show in every subscriber's latency. `clients` is read live, so
 * clients added during a round are visited in that round.
 */
export function startKeepAliveSweeper(clients: ReadonlySet<Pingable>, keepAliveMs: number): KeepAliveSweeper {
  let sweep = clients.values();
  let round = Date.now();
  const timer = setInterval(() => {
    for (let n = Math.ceil(clients.size / SLICES); n > 0; n--) {
      const next = sweep.next();
      if (next.done) {
        // One visit per client per round, and rounds at least keepAliveMs apart.
        if (Date.now() - round >= keepAliveMs) [sweep, round] = [clients.values(), Date.now()];
        return;
      }
      const client = next.value;
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, keepAliveMs / SLICES);
  timer.unref();
  return {
    watch(client) {
      client.ws.on('pong', () => (client.alive = true));
    },
    stop: () => clearInterval(timer),
  };
}
