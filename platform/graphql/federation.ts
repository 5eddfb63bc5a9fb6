import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { CACHE_CONTROL_SDL } from './cache-control';

/**
 * The one place the federation version is declared. v2.4+ is needed for subscriptions; v2.9 is
 * the newest that every composer we might use (Apollo's, The Guild's) understands.
 */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@tag", "@inaccessible", "@interfaceObject"])';

/** Scalars every subgraph maps the same way, so composition sees one `DateTime` and one `JSON`. */
export const scalarsMap: BuildSchemaOptions['scalarsMap'] = [{ type: Date, scalar: GraphQLDateTime }];
export { GraphQLJSON };

/**
 * type-graphql refuses to build a schema with subscriptions without a PubSub, but ours never use
 * it: each `@Subscription({ subscribe })` returns a feed from `ctx.live` (subgraph-ws.ts).
 */
const noPubSub: NonNullable<BuildSchemaOptions['pubSub']> = {
  publish() {
    throw new Error('subscriptions read their events from ctx.live, not a type-graphql PubSub');
  },
  subscribe() {
    throw new Error('subscriptions read their events from ctx.live, not a type-graphql PubSub');
  },
};

export type ReferenceResolvers = Record<string, { __resolveReference: (ref: any, ctx: any, info: any) => unknown }>;

/**
 * Builds a type-graphql schema and turns it into an Apollo federation subgraph schema.
 * Entities are declared in code with `@Directive('@key(fields: "id")')`; their
 * `__resolveReference` functions come in `referenceResolvers` (type-graphql has no decorator
 * for them). Subscription resolvers survive the conversion (createResolversMap copies them).
 */
/**
 * type-graphql's `container` over resolver instances built by the service (constructor-injected
 * services); a resolver class without an instance is constructed bare (SDL printing needs none).
 */
export function instanceContainer(instances: object[]): NonNullable<BuildSchemaOptions['container']> {
  const byClass = new Map(instances.map((i) => [i.constructor, i]));
  return { get: (cls) => byClass.get(cls) ?? new (cls as new () => object)() };
}

export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    scalarsMap,
    validate: { forbidUnknownValues: false },
    pubSub: noPubSub,
    ...options,
    skipCheck: true,
  });
  const sdl = printSchemaWithDirectives(schema);
  // The definition of the cache hints (cache-control.ts), in the SDL of the subgraphs that use them.
  const typeDefs = parse(`${FEDERATION_LINK}\n${sdl.includes('@cacheControl(') ? CACHE_CONTROL_SDL : ''}\n${sdl}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [type, ref] of Object.entries(referenceResolvers)) {
    resolvers[type] = { ...(resolvers[type] as object), ...ref } as never;
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
}

/** The SDL committed under schema/subgraphs/<name>.graphql and composed into the supergraph. */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  return `${printSubgraphSchema(schema).trim()}\n`;
}
