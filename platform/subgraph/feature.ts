import type { MikroORM } from '@mikro-orm/core';
import type { BrokerMessage, ConsumeOptions } from '../broker/message-broker';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../graphql/auth-checker';
import { buildFederatedSchema, instanceContainer, type ReferenceResolvers } from '../graphql/federation';
import type { SubgraphContext } from '../graphql/subgraph-server';
import type { Logger } from '../logger';

/** What a broker consumer's handler may use: the service's ORM (fork per message) and logger. */
export interface ConsumerRuntime {
  orm: MikroORM;
  logger: Logger;
}

/**
 * A durable queue a subgraph consumes. `queue` is the name before the deployment's queue prefix,
 * and also the consumer name `handleOnce` records processed message ids under.
 */
export interface ConsumerDefinition<T = any> {
  queue: string;
  options: ConsumeOptions;
  handler(runtime: ConsumerRuntime): (message: BrokerMessage<T>) => Promise<void>;
}

/** The request context without its loaders: what a loader factory reads through. */
export type LoaderContext = Omit<SubgraphContext, 'loaders'>;

/**
 * What one entity folder contributes to its subgraph. The subgraph's schema, entity list,
 * loader factory and consumers are assembled from its features (`assemble`), so no root file
 * has to know every feature's internals, and a child feature can extend its parent's type
 * (`@Resolver(() => Course)` in `lesson/`) without the parent importing the child.
 */
export interface Feature<Loaders extends object = object> {
  /** MikroORM entities the feature owns (its tables). */
  entities?: readonly (abstract new (...args: never[]) => object)[];
  /** type-graphql resolver classes. */
  resolvers?: readonly (new (...args: any[]) => object)[];
  /** `__resolveReference` of the federation entities the feature owns, by type name. */
  references?: ReferenceResolvers;
  /** Per-request DataLoaders it adds to `ctx.loaders`. */
  loaders?: (ctx: LoaderContext) => Loaders;
  /** Broker queues it consumes. */
  consumers?: readonly ConsumerDefinition[];
  /**
   * Object types no root field reaches, only the gateway's `_entities` (another subgraph's entity
   * this feature only adds fields to): type-graphql leaves unreachable types out unless named.
   */
  entityTypes?: readonly (abstract new (...args: never[]) => object)[];
}

/** The loaders type of a list of features: the intersection of what each contributes. */
export type LoadersOf<F extends readonly Feature<any>[]> = UnionToIntersection<
  { [K in keyof F]: F[K] extends Feature<infer L> ? L : never }[number]
>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** One subgraph's parts, gathered from its features (in order: parents first). */
export function assemble<F extends readonly Feature<any>[]>(features: F) {
  const resolvers = features.flatMap((f) => f.resolvers ?? []);
  const references = Object.assign({}, ...features.map((f) => f.references ?? {})) as ReferenceResolvers;
  return {
    entities: features.flatMap((f) => f.entities ?? []),
    resolvers,
    references,
    consumers: features.flatMap((f) => f.consumers ?? []),
    /**
     * The subgraph schema over resolver instances (constructor-injected services); a resolver
     * without an instance is built bare, so printing the SDL needs no running dependency.
     */
    buildSchema(instances: object[] = []): Promise<GraphQLSchema> {
      return buildFederatedSchema(
        {
          resolvers: resolvers as never,
          orphanedTypes: features.flatMap((f) => f.entityTypes ?? []),
          authChecker,
          container: instanceContainer(instances),
        },
        references,
      );
    },
    createLoaders(ctx: LoaderContext): LoadersOf<F> {
      const loaders = {} as Record<string, unknown>;
      for (const feature of features) {
        for (const [name, loader] of Object.entries(feature.loaders?.(ctx) ?? {})) {
          // Two features naming the same loader would silently shadow one another.
          if (name in loaders) throw new Error(`loader "${name}" is defined by two features`);
          loaders[name] = loader;
        }
      }
      return loaders as LoadersOf<F>;
    },
  };
}

/** What `assemble` gives a subgraph. */
export type SubgraphParts = ReturnType<typeof assemble>;
