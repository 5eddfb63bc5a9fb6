import { Supergraph } from '@apollo/federation-internals';
import { LocalGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { createFormatError } from '../../platform/graphql/format-error';
import { createLogger } from '../../platform/logger';
import { composeSupergraph } from '../../scripts/schema-artifacts';
import { resolveEvent, type UpstreamEvent } from './event-resolver';
import { SupergraphRuntime } from './runtime';
import { feedsSdl } from '../../testkit/subscriptions/feeds-subgraph';

/**
 * The contract this engine relies on in @apollo/query-planner and @apollo/gateway (pinned at one
 * exact version): subscription plans are a primary fetch plus `rest`, and executeQueryPlan runs
 * `rest` per event when the primary is answered by a synthetic source. An upgrade that changes
 * the plan shape, the executor or its error behaviour fails here first. The other subgraph is a
 * local schema: this file tests the planner and executor, not a network.
 */
const PEOPLE_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
type Query { nobody: String }
type User @key(fields: "id") { id: ID! displayName: String! }
`;
const people = buildSubgraphSchema({
  typeDefs: parse(PEOPLE_SDL),
  resolvers: {
    User: {
      __resolveReference: async (ref: { id: string }) => {
        if (ref.id === 'broken') throw new GraphQLError('No such person', { extensions: { code: 'NOT_FOUND' } });
        if (ref.id === 'crash') throw new Error('database password is hunter2');
        if (ref.id === 'ghost') return null;
        return { id: ref.id, displayName: `Person ${ref.id}` };
      },
    },
  } as never,
});

describe('per-event resolution (planner and executor contract)', () => {
  const runtime = new SupergraphRuntime(
    Supergraph.build(
      composeSupergraph([
        { name: 'users', sdl: PEOPLE_SDL, url: 'http://users.invalid/graphql' },
        { name: 'feeds', sdl: feedsSdl(), url: 'http://feeds.invalid/graphql' },
      ]),
    ),
  );
  const QUERY =
    'subscription($c: String!) { live: feedEvents(channel: $c) { kind ...Who } } fragment Who on FeedEvent { actor { displayName } }';
  const plan = runtime.plan(QUERY, parse(QUERY), undefined);
  const logger = createLogger('test', 'silent');
  let calls = 0;
  const users: GraphQLDataSource = {
    process: (options) => {
      calls++;
      return new LocalGraphQLDataSource(people).process(options);
    },
  };
  const resolve = (event: UpstreamEvent, services: Record<string, GraphQLDataSource> = { users }) =>
    resolveEvent(event, {
      plan,
      variables: { c: 'x' },
      context: { principal: { key: 'k', context: {} }, requestId: 'test' },
      services,
      formatError: createFormatError(logger),
      logger,
    });

  it('plans the primary on the owning subgraph and the entity fields as `rest`', () => {
    expect(plan.primary).toMatchObject({ kind: 'Fetch', serviceName: 'feeds', variableUsages: ['c'] });
    expect(plan.primary.operation).toBe('subscription($c:String!){live:feedEvents(channel:$c){kind actor{__typename id}}}');
    expect(plan.perEvent.node).toMatchObject({
      kind: 'Sequence',
      nodes: [
        { kind: 'Fetch', serviceName: '__event' },
        {
          kind: 'Sequence',
          nodes: [{ kind: 'Flatten', path: ['live', 'actor'], node: { kind: 'Fetch', serviceName: 'users', requires: expect.any(Array) } }],
        },
      ],
    });
    expect(runtime.plan(QUERY, parse(QUERY), undefined)).toBe(plan); // cached
  });

  it('merges the entity fields into the event and shapes the result to the client operation', async () => {
    const event = { data: { live: { __typename: 'FeedEvent', kind: 'CHAT', actor: { __typename: 'User', id: '7' } } } };
    const before = structuredClone(event);
    expect(await resolve(event)).toEqual({ data: { live: { kind: 'CHAT', actor: { displayName: 'Person 7' } } } });
    expect(event).toEqual(before); // resolved on a copy: the same event can be resolved again
  });

  it("keeps the event when an entity cannot be resolved, with the subgraph's error", async () => {
    const result = await resolve({
      data: { live: { __typename: 'FeedEvent', kind: 'CHAT', actor: { __typename: 'User', id: 'broken' } } },
    });
    expect(result.data).toEqual({ live: { kind: 'CHAT', actor: null } });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'No such person',
        path: ['live', 'actor'],
        extensions: expect.objectContaining({ code: 'NOT_FOUND', serviceName: 'users' }),
      }),
    ]);
  });

  it('masks unexpected errors and retries a failed fetch once', async () => {
    const crash = await resolve({ data: { live: { __typename: 'FeedEvent', kind: 'CHAT', actor: { __typename: 'User', id: 'crash' } } } });
    expect(crash.errors).toEqual([
      // Masked, still naming the subgraph (which is no secret) for whoever reads the error.
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'users' } }),
    ]);
    expect(JSON.stringify(crash)).not.toMatch(/hunter2|at .*\.js/);

    calls = 0;
    let failures = 1;
    const flaky: GraphQLDataSource = {
      process: (o) => (failures-- > 0 ? Promise.reject(new Error('connect ECONNREFUSED')) : users.process(o)),
    };
    const recovered = await resolve(
      { data: { live: { __typename: 'FeedEvent', kind: 'CHAT', actor: { __typename: 'User', id: '8' } } } },
      { users: flaky },
    );
    expect(recovered).toEqual({ data: { live: { kind: 'CHAT', actor: { displayName: 'Person 8' } } } });
    expect(calls).toBe(1);

    const down: GraphQLDataSource = { process: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:4001')) };
    const unreachable = await resolve(
      { data: { live: { __typename: 'FeedEvent', kind: 'CHAT', actor: { __typename: 'User', id: '9' } } } },
      { users: down },
    );
    expect(unreachable).toEqual({
      data: { live: { kind: 'CHAT', actor: null } },
      errors: [expect.objectContaining({ message: 'Internal server error' })],
    });
  });

  it('answers SERVICE_UNAVAILABLE with serviceName and path when a subgraph stays unreachable', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:4001'), { code: 'ECONNREFUSED' });
    const down: GraphQLDataSource = { process: () => Promise.reject(refused) };
    const result = await resolve(
      { data: { live: { __typename: 'FeedEvent', kind: 'CHAT', actor: { __typename: 'User', id: '9' } } } },
      { users: down },
    );
    expect(result).toEqual({
      data: { live: { kind: 'CHAT', actor: null } },
      errors: [
        expect.objectContaining({
          path: ['live', 'actor', 'displayName'],
          extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', serviceName: 'users' }),
        }),
      ],
    });
  });

  it('reports a null where the schema promises a value as an error with its path, not a silent null', async () => {
    const result = await resolve({ data: { live: { __typename: 'FeedEvent', kind: 'CHAT', actor: { __typename: 'User', id: 'ghost' } } } });
    expect(result).toEqual({
      data: { live: { kind: 'CHAT', actor: null } },
      errors: [
        {
          message: 'Cannot return null for non-nullable field User.displayName.',
          path: ['live', 'actor', 'displayName'],
          extensions: { code: 'SUBGRAPH_INVALID_RESPONSE' },
        },
      ],
    });
  });

  it("reports an error of the owning subgraph under that subgraph's name", async () => {
    const result = await resolve({ data: null, errors: [{ message: 'Staff only', extensions: { code: 'FORBIDDEN' } }] });
    expect(result).toEqual({
      data: null,
      errors: [expect.objectContaining({ message: 'Staff only', extensions: { code: 'FORBIDDEN', serviceName: 'feeds' } })],
    });
  });
});
