import { tagIdentity, type Schema } from '@apollo/federation-internals';
import { MapperKind, mapSchema, pruneSchema } from '@graphql-tools/utils';
import {
  assertValidSchema,
  getNamedType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  isUnionType,
  lexicographicSortSchema,
  printSchema,
  GraphQLObjectType,
  GraphQLUnionType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { sha256 } from '../../platform/secrets';

/** The tag that puts a type or field in the partner contract. */
const PARTNER_TAG = 'partner';

interface Tagged {
  types: Set<string>;
  /** `Type.field` coordinates. */
  fields: Set<string>;
}

/** Types and fields carrying @tag(name: "partner") in the supergraph (the API schema has no @tag left). */
function taggedElements(supergraph: Schema): Tagged {
  const tagged: Tagged = { types: new Set(), fields: new Set() };
  const tag = supergraph.coreFeatures?.getByIdentity(tagIdentity)?.directiveNameInSchema('tag');
  if (!tag) return tagged;
  const tags = (el: { appliedDirectivesOf(name: string): Array<{ arguments(): Record<string, unknown> }> }) =>
    el.appliedDirectivesOf(tag).map((d) => d.arguments().name);
  for (const type of supergraph.types()) {
    if (tags(type).includes(PARTNER_TAG)) tagged.types.add(type.name);
    if (type.kind === 'ObjectType' || type.kind === 'InterfaceType') {
      for (const field of type.fields()) {
        if (tags(field).includes(PARTNER_TAG)) tagged.fields.add(`${type.name}.${field.name}`);
      }
    }
  }
  return tagged;
}

/**
 * The partner contract: the API schema filtered to what is tagged `partner`. Our rules (close
 * to GraphOS contracts with `--include-tag partner --hide-unreachable-types`):
 *  - a tagged object or interface type is in with all its fields; an untagged one only with its
 *    tagged fields;
 *  - a Query, Mutation or Subscription field is in only when tagged itself: partners call with
 *    an API key and no signed-in user, so tagging a root field declares that it answers anonymous
 *    calls; a lookup returning a tagged type is not enough (Query.courses returns the tagged
 *    CourseConnection but needs a signed-in user), and writes are never published by accident;
 *  - a field whose output type ends up outside the contract is dropped; enums, scalars and
 *    input types come along with the fields that use them;
 *  - unions are in when tagged, with their members that are in; unreachable types are removed.
 * Returns null while nothing is tagged. Throws when the result is not a valid schema.
 */
export function partnerContract(supergraph: Schema, api: GraphQLSchema): { sdl: string; hash: string; schema: GraphQLSchema } | null {
  const tagged = taggedElements(supergraph);
  if (!tagged.types.size && !tagged.fields.size) return null;
  const queryName = api.getQueryType()?.name;

  // Root fields only when tagged themselves, Query included: partners call without a signed-in
  // user, and only a root field's own tag says it answers them (`courses` returns the tagged
  // CourseConnection too, but shows a signed-in user's courses).
  const roots = new Set([queryName, api.getMutationType()?.name, api.getSubscriptionType()?.name]);
  const candidates = (type: GraphQLObjectType | { name: string; getFields(): Record<string, GraphQLField<unknown, unknown>> }) =>
    Object.values(type.getFields()).filter(
      (f) => (tagged.types.has(type.name) && !roots.has(type.name)) || tagged.fields.has(`${type.name}.${f.name}`),
    );

  // Composite types in the contract, narrowed until every kept field's type is itself kept.
  const kept = new Map<string, Set<string>>();
  for (const type of Object.values(api.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = candidates(type);
      if (fields.length) kept.set(type.name, new Set(fields.map((f) => f.name)));
    } else if (isUnionType(type) && tagged.types.has(type.name)) {
      kept.set(type.name, new Set());
    }
  }
  const allowed = (t: GraphQLNamedType) => isLeafType(t) || kept.has(t.name) || !(isObjectType(t) || isInterfaceType(t) || isUnionType(t));
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, fields] of kept) {
      const type = api.getType(name)!;
      if (isUnionType(type)) {
        if (!type.getTypes().some((m) => kept.has(m.name))) changed = kept.delete(name) || changed;
        continue;
      }
      const all = (type as GraphQLObjectType).getFields();
      for (const f of fields) if (!allowed(getNamedType(all[f].type))) changed = fields.delete(f) || changed;
      if (!fields.size) changed = kept.delete(name) || changed;
    }
  }
  if (!queryName || !kept.has(queryName)) return null;

  const filtered = mapSchema(api, {
    [MapperKind.COMPOSITE_TYPE]: (type) => (kept.has(type.name) ? type : null),
    [MapperKind.COMPOSITE_FIELD]: (field, fieldName, typeName) => (kept.get(typeName)?.has(fieldName) ? field : null),
    [MapperKind.OBJECT_TYPE]: (type) => {
      if (!kept.has(type.name)) return null;
      const config = type.toConfig();
      return new GraphQLObjectType({ ...config, interfaces: config.interfaces.filter((i) => kept.has(i.name)) });
    },
    [MapperKind.UNION_TYPE]: (type) => {
      if (!kept.has(type.name)) return null;
      const config = type.toConfig();
      return new GraphQLUnionType({ ...config, types: config.types.filter((m) => kept.has(m.name)) });
    },
  });
  // Sorted, so reordering fields in a subgraph does not look like a contract change to partners.
  const schema = lexicographicSortSchema(pruneSchema(filtered));
  assertValidSchema(schema);
  const sdl = `${printSchema(schema).trim()}\n`;
  return { sdl, hash: sha256(sdl), schema };
}
