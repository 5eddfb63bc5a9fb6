import { EventEmitter } from 'node:events';
import { buildSchema, parse } from 'graphql';
import { Registry } from 'prom-client';
import { createLimiter } from '../../platform/rate-limit';
import { createLogger } from '../../platform/logger';
import type { ExecutedOperation } from '../usage/usage-reporting';
import type { ClientSocket } from './client-socket';
import { ConnectionRegistry } from './connection-registry';
import type { PreparedSubscription, SubscriptionEngine } from './engine';
import type { Member } from './member';
import { createSubscriptionMetrics } from './metrics';
import { createProtocol, type ConnectionExtra } from './protocol';

const QUERY = 'subscription Live($id: ID!) { live(id: $id) }';
const schema = buildSchema('type Query { ok: Boolean } type Subscription { live(id: ID!): String }');

/**
 * graphql-ws's protocol as the gateway configures it, on an in-memory socket, with an engine that
 * admits everyone: what a connection keeps once it is accepted, and what it still reads.
 */
function harness() {
  const admitted: ExecutedOperation[] = [];
  const members: Member[] = [];
  const engine = {
    schema,
    prepare: (payload: { query: string; variables?: Record<string, unknown> | null }): PreparedSubscription =>
      ({
        text: payload.query,
        document: parse(payload.query),
        operationName: 'Live',
        variables: payload.variables ?? {},
        plan: {},
      }) as never,
    subscribe: async (_viewer: unknown, member: Member) => {
      members.push(member);
      return undefined;
    },
  } as unknown as SubscriptionEngine;
  const metrics = createSubscriptionMetrics(new Registry());
  const registry = new ConnectionRegistry({ onRevoked: () => () => {} }, metrics);
  const protocol = createProtocol(
    {
      engine,
      authenticate: async () => ({ tenant: { id: 'school-1', slug: 'demo' }, user: undefined, ip: '127.0.0.1' }),
      perUser: createLimiter({ name: 'user', points: 100, duration: 60 }),
      logger: createLogger('test'),
      metrics,
      formatError: (formatted) => formatted,
      onAdmitted: (op) => admitted.push(op),
    },
    registry,
  );
  const open = (headers: Record<string, string>) => {
    const sent: Array<Record<string, unknown>> = [];
    const ws = Object.assign(new EventEmitter(), { readyState: 1, OPEN: 1, CLOSED: 3, bufferedAmount: 0 });
    const client = { open: true, ws, send: () => {}, close: () => {} } as unknown as ClientSocket;
    let handle: (data: string) => Promise<void> = async () => {};
    const extra: ConnectionExtra = { headers, client, ip: '127.0.0.1', connectionId: 'c1' };
    protocol.opened(
      {
        protocol: 'graphql-transport-ws',
        send: (data) => void sent.push(JSON.parse(data) as Record<string, unknown>),
        close: () => {},
        onMessage: (h) => (handle = h),
      },
      extra,
    );
    return { extra, sent, send: (message: unknown) => handle(JSON.stringify(message)) };
  };
  return { open, admitted, members };
}

describe('subscription protocol', () => {
  it('keeps only the client name of the upgrade headers once connection_init is accepted, and still reports it', async () => {
    const h = harness();
    const conn = h.open({
      host: 'demo.example.org',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'user-agent': 'classroom-app',
      'apollographql-client-name': 'classroom-web',
    });
    await conn.send({ type: 'connection_init', payload: { authorization: 'Bearer x', tenant: 'demo' } });
    expect(conn.sent).toEqual([{ type: 'connection_ack' }]);
    expect(conn.extra.headers).toEqual({ 'apollographql-client-name': 'classroom-web' });
    void conn.send({ id: '1', type: 'subscribe', payload: { query: QUERY, variables: { id: 's1' } } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.members).toHaveLength(1);
    expect(h.admitted.map((op) => [op.client, op.operationName])).toEqual([['classroom-web', 'Live']]);
  });

  it('keeps no headers at all for a client that sends no name', async () => {
    const h = harness();
    const conn = h.open({ host: 'demo.example.org', 'user-agent': 'classroom-app' });
    await conn.send({ type: 'connection_init', payload: { authorization: 'Bearer x' } });
    expect(conn.extra.headers).toEqual({});
    void conn.send({ id: '1', type: 'subscribe', payload: { query: QUERY, variables: { id: 's1' } } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.admitted.map((op) => op.client)).toEqual([undefined]);
  });
});
