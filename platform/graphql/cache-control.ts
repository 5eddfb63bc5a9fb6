import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { isIntrospectionType, isObjectType, type DirectiveNode, type GraphQLField, type GraphQLSchema } from 'graphql';

/**
 * Cache hints of a subgraph's schema: how long the gateway may reuse (gateway/cache) what a
 * subgraph answers, and whether the answer depends on who asks. Apollo Server's cache-control
 * plugin reads them from the schema's AST, computes the policy of every answer (`_entities`
 * fetches included: the entity type's hint applies) and sends it as
 * `Cache-Control: max-age=N, public|private`, or `no-store`.
 *
 * Declared per subgraph, on its own types and fields; the definition below lives in each
 * subgraph's SDL only. Composition does not compose `@cacheControl` (the supergraph, the API
 * schema and the partner contract never show it); the enum its `scope` needs is composed as an
 * unused type, so it is `@inaccessible`: in the supergraph, never in the API schema.
 */
export const CACHE_CONTROL_SDL = `
enum CacheControlScope @inaccessible {
  PUBLIC
  PRIVATE
}

directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

/**
 * `@Directive(cacheHint(60))`, `@Directive(cacheHint(60, 'PRIVATE'))`: on a field, its answer may be
 * reused for `maxAge` seconds; on an entity type, an `_entities` fetch of it may. `PRIVATE` when the
 * answer depends on who asks (the gateway then shares it with that user only).
 */
export function cacheHint(maxAge: number, scope: 'PUBLIC' | 'PRIVATE' = 'PUBLIC'): string {
  if (!Number.isInteger(maxAge) || maxAge < 0) throw new Error(`cacheHint: maxAge must be a whole number of seconds, not ${maxAge}`);
  return `@cacheControl(maxAge: ${maxAge}${scope === 'PRIVATE' ? ', scope: PRIVATE' : ''})`;
}

/** Fields that need no hint of their own: the key carries no data, and `_entities` takes its entity types' hints. */
const EXEMPT = new Set(['id', '_entities']);

const hasOwnHint = (node: { astNode?: { directives?: readonly DirectiveNode[] } | null }) =>
  !!node.astNode?.directives?.some((d) => d.name.value === 'cacheControl');

/**
 * Only a field's own hint makes it cacheable. Apollo's rule lets a scalar field inherit its
 * parent's hint and a field returning a hinted type take that type's: then `User.email` (visible
 * depending on who asks) would be cached with `User`'s hint, and every field added later would
 * be cacheable by default. Here a field without its own `@cacheControl` makes the whole answer
 * uncacheable (max-age 0), but `id`, and so does an `_entities` fetch of a type without a hint of
 * its own (even beside hinted ones); a hint set at run time (`setCacheHint`) does
 * not stand in for a static one. The fields are sorted out once per schema; per field resolved,
 * a set lookup (about 0.1 µs), and nothing at all in a subgraph without hints (nothing of it is
 * cacheable anyway: its root fields default to max-age 0).
 */
function ownHintsOnly(): ApolloServerPlugin {
  let unhinted = new WeakSet<GraphQLField<unknown, unknown>>();
  let hintedTypes = new Set<string>();
  let hinted = false;
  return {
    async serverWillStart({ schema }) {
      ({ unhinted, hintedTypes, hinted } = sortFields(schema));
    },
    async requestDidStart() {
      return {
        // Restricts the answer's policy itself: Apollo calls field hooks in reverse plugin order,
        // so this holds whichever of the two plugins comes first.
        async executionDidStart({ overallCachePolicy }) {
          if (!hinted) return undefined;
          return {
            willResolveField({ info, args }) {
              const field = info.parentType.getFields()[info.fieldName];
              if (field && unhinted.has(field)) overallCachePolicy.restrict({ maxAge: 0 });
              else if (info.fieldName === '_entities' && !info.path.prev) {
                const representations = (args as { representations?: Array<{ __typename?: unknown }> }).representations ?? [];
                if (representations.some((r) => typeof r?.__typename !== 'string' || !hintedTypes.has(r.__typename)))
                  overallCachePolicy.restrict({ maxAge: 0 });
              }
            },
          };
        },
      };
    },
  };
}

/** The fields without a hint of their own (but the exempt ones), the types with one, and whether any type or field has one. */
function sortFields(schema: GraphQLSchema) {
  const unhinted = new WeakSet<GraphQLField<unknown, unknown>>();
  const hintedTypes = new Set<string>();
  let hinted = false;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    if (hasOwnHint(type)) {
      hinted = true;
      hintedTypes.add(type.name);
    }
    for (const field of Object.values(type.getFields())) {
      if (hasOwnHint(field)) hinted = true;
      else if (!EXEMPT.has(field.name)) unhinted.add(field);
    }
  }
  return { unhinted, hintedTypes, hinted };
}

/**
 * The subgraph server's cache-control plugins: Apollo's, with nothing cacheable by default
 * (`defaultMaxAge` 0) and the policy sent as `Cache-Control`, and the own-hints-only rule.
 */
export function cacheControlPlugins(): ApolloServerPlugin[] {
  return [ApolloServerPluginCacheControl({ defaultMaxAge: 0, calculateHttpHeaders: true }), ownHintsOnly()];
}
