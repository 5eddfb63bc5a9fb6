import { EventEmitter } from 'node:events';
import { buildSchema, parse, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import { Registry } from 'prom-client';
import { createLimiter } from '../../platform/rate-limit';
import { eventually } from '../../testkit/eventually';
import { createLogger } from '../../platform/logger';
import type { ExecutedOperation } from '../usage/usage-reporting';
import { ClientSocket } from './client-socket';
import { ConnectionRegistry } from './connection-registry';
import { SubscriptionEngine, type PreparedSubscription } from './engine';
import type { Member } from './member';
import { createSubscriptionMetrics } from './metrics';
import { createProtocol } from './protocol';

const QUERY = 'subscription Live($id: ID!) { live(id: $id) }';
const schema = buildSchema('type Query { ok: Boolean } type Subscription { live(id: ID!): String }');

/**
 * graphql-ws's protocol as the gateway configures it, on an in-memory socket, with an engine that
 * admits everyone: what a connection keeps once it is accepted, and what it still reads.
 */
function harness(options: { admit?: (member: Member) => Promise<GraphQLFormattedError[] | undefined>; initTimeoutMs?: number } = {}) {
  const admitted: ExecutedOperation[] = [];
  const members: Member[] = [];
  const engine = {
    schema,
    prepare: (payload: { query: string; variables?: Record<string, unknown> | null }): PreparedSubscription | GraphQLError[] => {
      try {
        return {
          text: payload.query,
          document: parse(payload.query),
          operationName: 'Live',
          variables: payload.variables ?? {},
          plan: {},
        } as never;
      } catch (err) {
        return [err as GraphQLError];
      }
    },
    subscribe: async (_viewer: unknown, member: Member) => {
      members.push(member);
      return options.admit?.(member);
    },
    // The real report of an admitted subscription, over this schema.
    usageOf: (prepared: PreparedSubscription, client?: string) =>
      SubscriptionEngine.prototype.usageOf.call({ schema } as never, prepared, client),
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
      connectionInitTimeoutMs: options.initTimeoutMs,
    },
    registry,
  );
  const open = (headers: Record<string, string>, subprotocol = 'graphql-transport-ws') => {
    const sent: Array<Record<string, unknown>> = [];
    const closes: Array<{ code: number; reason: string }> = [];
    const ws = Object.assign(new EventEmitter(), { readyState: 1, OPEN: 1, CLOSED: 3, bufferedAmount: 0, protocol: subprotocol });
    const client = Object.assign(new ClientSocket(ws as never, {}, { headers, ip: '127.0.0.1', connectionId: 'c1' }), {
      send: (data: string | Buffer) => void sent.push(JSON.parse(String(data)) as Record<string, unknown>),
      close: (close: { code: number; reason: string }, reason = close.reason) => void closes.push({ code: close.code, reason }),
    });
    protocol.opened(client);
    return {
      client,
      sent,
      closes,
      send: (message: unknown) => protocol.message(client, typeof message === 'string' ? message : JSON.stringify(message)),
      init: () => protocol.message(client, JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer x' } })),
      close: () => protocol.closed(client),
    };
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
    expect([conn.client.headers, conn.client.clientName]).toEqual([undefined, 'classroom-web']);
    void conn.send({ id: '1', type: 'subscribe', payload: { query: QUERY, variables: { id: 's1' } } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.members).toHaveLength(1);
    expect(h.admitted.map((op) => [op.client, op.operationName])).toEqual([['classroom-web', 'Live']]);
  });

  it('keeps no headers at all for a client that sends no name', async () => {
    const h = harness();
    const conn = h.open({ host: 'demo.example.org', 'user-agent': 'classroom-app' });
    await conn.send({ type: 'connection_init', payload: { authorization: 'Bearer x' } });
    expect([conn.client.headers, conn.client.clientName]).toEqual([undefined, undefined]);
    void conn.send({ id: '1', type: 'subscribe', payload: { query: QUERY, variables: { id: 's1' } } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.admitted.map((op) => op.client)).toEqual([undefined]);
  });

  // graphql-ws serves the connection; subscribe and complete are served by protocol.ts as graphql-ws would.
  const subscribe = (id: string) => ({ id, type: 'subscribe', payload: { query: QUERY, variables: { id: 's1' } } });
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('answers ping with pong (with its payload), and closes on a malformed message (4400), a second connection_init (4429) or another subprotocol (4406)', async () => {
    const h = harness();
    const conn = h.open({});
    await conn.init();
    await conn.send({ type: 'ping' });
    await conn.send({ type: 'ping', payload: { at: 1 } });
    await conn.send({ type: 'pong' });
    expect(conn.sent).toEqual([{ type: 'connection_ack' }, { type: 'pong' }, { type: 'pong', payload: { at: 1 } }]);
    await conn.init();
    expect(conn.closes).toEqual([{ code: 4429, reason: 'Too many initialisation requests' }]);
    for (const bad of [
      '{nope',
      JSON.stringify({ type: 'subscribe', id: '', payload: { query: QUERY } }),
      JSON.stringify({ type: 'next', id: '1', payload: {} }),
    ]) {
      const other = h.open({});
      await other.send(bad);
      expect(other.closes).toEqual([{ code: 4400, reason: expect.any(String) }]);
    }
    expect(h.open({}, 'graphql-ws').closes).toEqual([{ code: 4406, reason: 'Subprotocol not acceptable' }]);
  });

  it('closes a connection that subscribes before connection_ack (4401) or reuses a running id (4409)', async () => {
    const early = harness().open({});
    await early.send(subscribe('1'));
    expect(early.closes).toEqual([{ code: 4401, reason: 'Unauthorized' }]);

    const h = harness();
    const conn = h.open({});
    await conn.init();
    await conn.send(subscribe('1'));
    await conn.send(subscribe('1'));
    expect(conn.closes).toEqual([{ code: 4409, reason: 'Subscriber for 1 already exists' }]);
    expect(h.members).toHaveLength(1);
  });

  it('closes a connection that sends no connection_init in time (4408), and only that one', async () => {
    const h = harness({ initTimeoutMs: 50 });
    const silent = h.open({});
    const prompt = h.open({});
    await prompt.init();
    await eventually(() => expect(silent.closes).toEqual([{ code: 4408, reason: 'Connection initialisation timeout' }]));
    expect(prompt.closes).toEqual([]);
  });

  it('answers a refused subscribe message with an error, and a refused admission with next and complete', async () => {
    const h = harness({ admit: async () => [{ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } }] });
    const conn = h.open({});
    await conn.init();
    await conn.send({ id: 'bad', type: 'subscribe', payload: { query: 'subscription { nope' } });
    await conn.send(subscribe('2'));
    expect(conn.sent.slice(1)).toEqual([
      expect.objectContaining({ id: 'bad', type: 'error' }),
      { id: '2', type: 'next', payload: { errors: [{ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } }] } },
      { id: '2', type: 'complete' },
    ]);
    // Both ids are free again.
    expect(conn.client.operations?.size ?? 0).toBe(0);
  });

  it('sends complete when the feed ends, and nothing for a subscription the client completed', async () => {
    const h = harness();
    const conn = h.open({});
    await conn.init();
    const left: string[] = [];
    await conn.send(subscribe('a'));
    await conn.send(subscribe('b'));
    for (const member of h.members) member.leave = () => left.push(member.id);
    h.members[0]!.end();
    await conn.send({ id: 'b', type: 'complete' });
    h.members[1]!.end();
    expect(conn.sent.slice(1)).toEqual([{ id: 'a', type: 'complete' }]);
    expect(left).toEqual(['b']);
    // An id may be used again once its subscription is over.
    await conn.send(subscribe('a'));
    expect(h.members).toHaveLength(3);
    expect(conn.closes).toEqual([]);
  });

  it('lets go of a subscription completed, or whose connection closed, while it was being admitted', async () => {
    const admissions: Array<() => void> = [];
    const h = harness({
      admit: (member) => new Promise((resolve) => admissions.push(() => ((member.leave = () => left.push(member.id)), resolve(undefined)))),
    });
    const left: string[] = [];
    const conn = h.open({});
    await conn.init();
    void conn.send(subscribe('1'));
    void conn.send(subscribe('2'));
    await eventually(() => expect(admissions).toHaveLength(2));
    await conn.send({ id: '1', type: 'complete' });
    admissions[0]!();
    await settle();
    expect(left).toEqual(['1']);
    await conn.close();
    admissions[1]!();
    await settle();
    expect(left).toEqual(['1', '2']);
    expect(conn.sent.slice(1)).toEqual([]);
    expect(h.admitted).toHaveLength(0);
  });

  it('ends every subscription of a connection when it closes', async () => {
    const h = harness();
    const conn = h.open({});
    await conn.init();
    await conn.send(subscribe('1'));
    await conn.send(subscribe('2'));
    const left: string[] = [];
    for (const member of h.members) member.leave = () => left.push(member.id);
    await conn.close();
    expect(left.sort()).toEqual(['1', '2']);
    expect(conn.client.operations).toBeUndefined();
  });
});
