import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createInternalContextVerifier, type InternalContext } from '../../platform/auth/internal-context';
import type { EventBus } from '../../platform/bus/event-bus';
import { createRedisBus } from '../../platform/bus/redis-bus';
import { forbidden, unauthenticated } from '../../platform/errors';
import { printSubgraphSdl } from '../../platform/graphql/federation';
import type { SubgraphContext } from '../../platform/graphql/subgraph-server';
import { serveSubgraphSubscriptions, type SubscriptionContext } from '../../platform/graphql/subgraph-ws';
import { createLogger } from '../../platform/logger';

/**
 * A test-only subgraph owning two `Subscription` fields, served over graphql-ws exactly as a real
 * subgraph does (platform/graphql/subgraph-ws.ts, Redis bus), with `actor` an entity of the users
 * subgraph so every event needs an `_entities` fetch, and `seenAs` a field resolved from the
 * viewer's identity on purpose.
 */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Query { feedsHealth: String! }
  type Subscription {
    "A channel of the school; the same for every member (shared by role). 'staff' is for teachers and admins."
    feedEvents(channel: String!, after: ID): FeedEvent!
    "Events addressed to the viewer only (personal)."
    myFeed: FeedEvent!
  }
  type FeedEvent {
    id: ID!
    kind: String!
    text: String
    actor: User
    "Who the subgraph resolved this event as."
    seenAs: String!
  }
  type User @key(fields: "id", resolvable: false) { id: ID! }
`);

/** What tests publish to a feed topic. */
export interface FeedData {
  kind: string;
  text?: string;
  actorId?: string;
}

export const feedTopic = (schoolId: string, channel: string) => `test-feed:${schoolId}:${channel}`;
export const personalTopic = (schoolId: string, userId: string) => `test-feed:${schoolId}:user:${userId}`;

const STAFF = ['TEACHER', 'SCHOOL_ADMIN'];

const resolvers = {
  Query: { feedsHealth: () => 'ok' },
  Subscription: {
    feedEvents: {
      subscribe: (_: unknown, args: { channel: string; after?: string | null }, ctx: SubscriptionContext) => {
        if (!ctx.user || !ctx.tenant) throw unauthenticated();
        if (args.channel === 'staff' && !ctx.user.roles.some((r) => STAFF.includes(r))) throw forbidden('Staff only');
        return ctx.live.topic(feedTopic(ctx.tenant.id, args.channel), { after: args.after, sharing: 'role' });
      },
      resolve: toFeedEvent,
    },
    myFeed: {
      subscribe: (_: unknown, _args: unknown, ctx: SubscriptionContext) => {
        if (!ctx.user || !ctx.tenant) throw unauthenticated();
        return ctx.live.topic(personalTopic(ctx.tenant.id, ctx.user.id), { sharing: 'viewer' });
      },
      resolve: toFeedEvent,
    },
  },
  FeedEvent: {
    seenAs: (_event: unknown, _args: unknown, ctx: SubgraphContext) => ctx.user?.id ?? 'anonymous',
  },
};

function toFeedEvent(event: { id: string; data: FeedData }) {
  return { id: event.id, kind: event.data.kind, text: event.data.text, actor: event.data.actorId ? { id: event.data.actorId } : null };
}

const feedsSchema = () => buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
export const feedsSdl = () => printSubgraphSdl(feedsSchema());

export interface FeedsSubgraph {
  url: string;
  /** Bus subscriptions the subgraph opened: one per upstream stream the gateway holds. */
  streamsOpened(): number;
  /** Stops serving; `start()` serves again on the same port (a subgraph restart). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the feeds subgraph on a free port. `internalJwks` may be given later (the stack
 * generates the gateway's keys after the supergraph naming this subgraph is written).
 */
export async function startFeedsSubgraph(opts: {
  redisUrl: string;
  redisPrefix: string;
  internalJwks: () => string;
}): Promise<FeedsSubgraph> {
  const logger = createLogger('feeds', process.env.LOG_LEVEL ?? 'silent');
  const redisBus = createRedisBus({ url: opts.redisUrl, keyPrefix: opts.redisPrefix, logger });
  let opened = 0;
  const bus: EventBus = { ...redisBus, subscribe: (...args) => (opened++, redisBus.subscribe(...args)) };
  const schema = feedsSchema();
  const createContext = (internal: InternalContext) => ({
    em: undefined as never,
    ...internal,
    requestId: internal.requestId ?? 'feeds',
    locale: internal.locale,
    loaders: undefined,
  });
  let server: http.Server | undefined;
  let subscriptions: { close(): Promise<void> } | undefined;
  let port = 0;

  const start = async () => {
    server = http.createServer((_req, res) => res.writeHead(404).end());
    subscriptions = serveSubgraphSubscriptions({
      name: 'feeds',
      server,
      schema,
      verifyContext: (token) => createInternalContextVerifier(JSON.parse(opts.internalJwks()), 'feeds')(token),
      createContext,
      bus,
      logger,
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    await subscriptions?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    streamsOpened: () => opened,
    start,
    stop,
    async close() {
      if (server) await stop();
      await redisBus.close();
    },
  };
}
