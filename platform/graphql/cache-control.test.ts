import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { Arg, Directive, Field, FieldResolver, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { cacheControlPlugins, cacheHint } from './cache-control';
import { buildFederatedSchema } from './federation';

/**
 * The subgraph side of the gateway cache's TTLs: the Cache-Control a subgraph answers with,
 * from the `@cacheControl` hints of its schema, with only a field's own hint making it cacheable.
 */
@Directive('@key(fields: "id")')
@Directive(cacheHint(60))
@ObjectType('Member')
class Member {
  @Field(() => ID)
  id!: string;

  @Directive(cacheHint(60))
  @Field()
  name!: string;

  @Directive(cacheHint(5))
  @Field()
  status!: string;

  /** No hint: depends on who asks. */
  @Field()
  email!: string;
}

/** An entity without a type hint: its `_entities` fetches are never cacheable, whatever its fields say. */
@Directive('@key(fields: "id")')
@ObjectType('Room')
class Room {
  @Field(() => ID)
  id!: string;

  @Directive(cacheHint(60))
  @Field()
  name!: string;
}

const member = (id: string) => Object.assign(new Member(), { id, name: `name of ${id}`, status: 'ok', email: `${id}@x.eg` });

@Resolver(() => Member)
class MemberResolver {
  @Directive(cacheHint(30, 'PRIVATE'))
  @Query(() => Member)
  me(): Member {
    return member('me');
  }

  @Directive(cacheHint(60))
  @Query(() => Member)
  member(@Arg('id', () => ID) id: string): Member {
    return member(id);
  }

  @Query(() => Member, { description: 'No hint.' })
  anyone(): Member {
    return member('any');
  }

  /** No hint of its own, though it returns a hinted type (Apollo's rule would take Member's 60 s). */
  @FieldResolver(() => [Member])
  friends(): Member[] {
    return [member('f')];
  }

  @Directive(cacheHint(60))
  @FieldResolver(() => Room)
  room(): Room {
    return Object.assign(new Room(), { id: 'r1', name: 'Room 1' });
  }
}

@Resolver(() => Room)
class RoomResolver {
  @Query(() => Room)
  lobby(): Room {
    return Object.assign(new Room(), { id: 'lobby', name: 'Lobby' });
  }
}

const references = {
  Member: { __resolveReference: (ref: { id: string }) => member(ref.id) },
  Room: { __resolveReference: (ref: { id: string }) => Object.assign(new Room(), { id: ref.id, name: 'a room' }) },
};

describe('subgraph cache hints', () => {
  let schema: GraphQLSchema;
  let server: ApolloServer;
  beforeAll(async () => {
    schema = await buildFederatedSchema({ resolvers: [MemberResolver, RoomResolver] }, references);
    server = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled(), ...cacheControlPlugins()] });
    await server.start();
  });
  afterAll(() => server?.stop());

  /** The Cache-Control the subgraph answers `query` with. */
  async function cacheControl(query: string, variables?: Record<string, unknown>) {
    const response = await server.executeOperation({ query, variables });
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeFalsy();
    return response.http.headers.get('cache-control');
  }
  const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id name status } } }';

  it('answers an entity fetch with its entity type’s hint, the shortest of the fields selected', async () => {
    expect(await cacheControl(ENTITIES, { r: [{ __typename: 'Member', id: 'm1' }] })).toBe('max-age=5, public');
    const nameOnly = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { name } } }';
    expect(await cacheControl(nameOnly, { r: [{ __typename: 'Member', id: 'm1' }] })).toBe('max-age=60, public');
  });

  it('makes the answer uncacheable for a field without a hint of its own', async () => {
    const withEmail = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { name email } } }';
    expect(await cacheControl(withEmail, { r: [{ __typename: 'Member', id: 'm1' }] })).toBe('no-store');
    // A root field without one, a field returning a hinted type without one, an entity type without one.
    expect(await cacheControl('{ anyone { id } }')).toBe('no-store');
    expect(await cacheControl('{ member(id: "m1") { friends { id } } }')).toBe('no-store');
    const rooms = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Room { name } } }';
    expect(await cacheControl(rooms, { r: [{ __typename: 'Room', id: 'r1' }] })).toBe('no-store');
    // Even beside a hinted one, with only its key selected (Apollo's rule would take Member's hint for both).
    const mixed = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { name } ... on Room { id } } }';
    expect(await cacheControl(mixed, { r: [{ __typename: 'Member', id: 'm1' }] })).toBe('max-age=60, public');
    expect(
      await cacheControl(mixed, {
        r: [
          { __typename: 'Member', id: 'm1' },
          { __typename: 'Room', id: 'r1' },
        ],
      }),
    ).toBe('no-store');
    // A key needs none: a hinted field returning that type, with only its id (or hinted fields) selected, stays cacheable.
    expect(await cacheControl('{ member(id: "m1") { room { id } } }')).toBe('max-age=60, public');
    expect(await cacheControl('{ member(id: "m1") { room { id name } } }')).toBe('max-age=60, public');
  });

  it('says private when a hint on the way says so', async () => {
    expect(await cacheControl('{ me { id name } }')).toBe('max-age=30, private');
    expect(await cacheControl('{ member(id: "m1") { id name __typename } }')).toBe('max-age=60, public');
  });

  it('carries the directive’s definition in the SDL of a subgraph that uses it, the scope enum inaccessible', () => {
    const sdl = printSubgraphSchema(schema);
    expect(sdl).toContain('directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean)');
    expect(sdl).toMatch(/enum CacheControlScope\s+@inaccessible/);
    expect(sdl).toContain('me: Member! @cacheControl(maxAge: 30, scope: PRIVATE)');
  });

  it('rejects a hint that is not a whole number of seconds', () => {
    expect(() => cacheHint(1.5)).toThrow(/whole number/);
    expect(() => cacheHint(-1)).toThrow(/whole number/);
  });
});

describe('subgraph whose only hint is on a type', () => {
  @Directive('@key(fields: "id")')
  @Directive(cacheHint(60))
  @ObjectType('Badge')
  class Badge {
    @Field(() => ID)
    id!: string;

    @Field()
    label!: string;
  }
  @Resolver(() => Badge)
  class BadgeResolver {
    @Query(() => Badge)
    badge(): Badge {
      return Object.assign(new Badge(), { id: 'b', label: 'gold' });
    }
  }

  it('still keeps its unhinted fields uncacheable in an entity fetch', async () => {
    const schema = await buildFederatedSchema(
      { resolvers: [BadgeResolver] },
      { Badge: { __resolveReference: (ref: { id: string }) => Object.assign(new Badge(), { id: ref.id, label: 'gold' }) } },
    );
    const server = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled(), ...cacheControlPlugins()] });
    await server.start();
    try {
      const fetch = (select: string) =>
        server.executeOperation({
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Badge { ${select} } } }`,
          variables: { r: [{ __typename: 'Badge', id: 'b' }] },
        });
      expect((await fetch('id')).http.headers.get('cache-control')).toBe('max-age=60, public');
      expect((await fetch('id label')).http.headers.get('cache-control')).toBe('no-store');
    } finally {
      await server.stop();
    }
  });
});

describe('subgraph without cache hints', () => {
  @ObjectType('Plain')
  class Plain {
    @Field(() => ID)
    id!: string;
  }
  @Resolver(() => Plain)
  class PlainResolver {
    @Query(() => Plain)
    plain(): Plain {
      return Object.assign(new Plain(), { id: 'p' });
    }
  }

  it('keeps its SDL free of the definition, and answers no-store', async () => {
    const schema = await buildFederatedSchema({ resolvers: [PlainResolver], orphanedTypes: [Plain] });
    expect(printSubgraphSchema(schema)).not.toContain('cacheControl');
    const server = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled(), ...cacheControlPlugins()] });
    await server.start();
    try {
      const response = await server.executeOperation({ query: '{ plain { id } }' });
      expect(response.http.headers.get('cache-control')).toBe('no-store');
    } finally {
      await server.stop();
    }
  });
});
