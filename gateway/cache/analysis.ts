import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { KEY_FIELDS, type CachePolicy, type CacheRule, type CacheScope } from './policy';
import { Lru } from './lru';

/** What the allow-list makes of one operation (a subgraph fetch, or a client's whole query). */
export interface Cacheable {
  /** `USER` as soon as one rule that applies says so (the subgraph's `private` narrows it further, at run time). */
  scope: CacheScope;
  /** Roles whose holders get nothing from or into the cache for it. */
  bypassRoles: ReadonlySet<string>;
  /** An `_entities` fetch: the entity types its fragments select (all allowed). */
  entityTypes?: ReadonlySet<string>;
  /** Types with data selected (beyond their key): an event about any of them may change the answer. */
  dataTypes: ReadonlySet<string>;
}

export interface Analysis {
  operation: 'query' | 'mutation' | 'subscription' | 'unknown';
  /** Set only when every field selected is allowed. */
  cacheable?: Cacheable;
  document?: DocumentNode;
  definition?: OperationDefinitionNode;
}

class NotCacheable extends Error {}

/** Collects what the rules of the fields visited allow; throws NotCacheable at the first field they do not. */
class Walk {
  /** Some rule applied: there is data the allow-list names (not just `__typename`). */
  applied = false;
  scope: CacheScope = 'ROLES';
  readonly bypassRoles = new Set<string>();
  readonly dataTypes = new Set<string>();
  readonly entityTypes = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly policy: CachePolicy,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  apply(rule: CacheRule): void {
    this.applied = true;
    if (rule.scope === 'USER') this.scope = 'USER';
    for (const role of rule.bypassRoles ?? []) this.bypassRoles.add(role);
  }

  /** The root selection of a query: `_entities` fragments, or allowed root fields. */
  root(set: SelectionSetNode): void {
    const query = this.schema.getQueryType();
    if (!query) throw new NotCacheable();
    for (const selection of this.flatten(set, query.name)) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      if (name === '_entities') {
        if (!selection.selectionSet) throw new NotCacheable();
        this.entities(selection.selectionSet);
        continue;
      }
      const rule = this.policy.rootFields[name];
      const field = query.getFields()[name];
      if (!rule || !field) throw new NotCacheable();
      this.apply(rule);
      const type = getNamedType(field.type);
      this.addData(type.name);
      if (selection.selectionSet) this.object(selection.selectionSet, this.objectType(type), true);
    }
  }

  /** `_entities { ... on T { … } }`: every fragment on an allowed type, whose rule applies even to a key-only selection (visibility). */
  private entities(set: SelectionSetNode): void {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD && selection.name.value === '__typename') continue;
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? this.fragments[selection.name.value] : selection;
      if (!fragment || fragment.kind === Kind.FIELD || !fragment.typeCondition) throw new NotCacheable();
      const type = this.objectType(this.schema.getType(fragment.typeCondition.name.value));
      const rule = this.policy.types[type.name];
      if (!rule) throw new NotCacheable();
      this.apply(rule);
      this.entityTypes.add(type.name);
      this.object(fragment.selectionSet, type, true);
    }
  }

  /** Fields of an object type: each allowed by the type's rule. */
  private object(set: SelectionSetNode, type: GraphQLObjectType, ruleApplied = false): void {
    const rule = this.policy.types[type.name];
    if (!rule) throw new NotCacheable();
    const fields = type.getFields();
    for (const selection of this.flatten(set, type.name)) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      const field = fields[name];
      if (!field || !(KEY_FIELDS.has(name) || rule.fields.includes(name))) throw new NotCacheable();
      if (!KEY_FIELDS.has(name)) {
        // Data beyond the key: the type's scope applies, and its events end the answer.
        this.addData(type.name);
        if (!ruleApplied) this.apply(rule);
        ruleApplied = true;
        const own = rule.fieldRules?.[name];
        if (own) this.apply(own);
      }
      if (selection.selectionSet) this.object(selection.selectionSet, this.objectType(getNamedType(field.type)));
    }
  }

  /** A type with data in the answer: its events end it, and so do those of what it wraps. */
  private addData(typeName: string): void {
    this.dataTypes.add(typeName);
    for (const wrapped of this.policy.types[typeName]?.endedBy ?? []) this.dataTypes.add(wrapped);
  }

  private objectType(type: GraphQLNamedType | undefined | null): GraphQLObjectType {
    // Interfaces and unions (but `_entities`'s) are left uncached: each possible type would need its own rule.
    if (!type || !isObjectType(type)) throw new NotCacheable();
    return type;
  }

  /** The fields of a selection set on `typeName`, fragments that apply to it expanded. */
  private *flatten(set: SelectionSetNode, typeName: string): Generator<FieldNode> {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        yield selection;
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? this.fragments[selection.name.value] : selection;
      if (!fragment) throw new NotCacheable();
      const condition = fragment.typeCondition?.name.value;
      if (condition && condition !== typeName) {
        const on = this.schema.getType(condition);
        const self = this.schema.getType(typeName);
        // A fragment on another object type never applies here; on an abstract type it may.
        if (!on || !self || !isAbstractType(on) || !isObjectType(self) || !this.schema.isSubType(on, self)) {
          if (on && isObjectType(on)) continue;
          throw new NotCacheable();
        }
      }
      yield* this.flatten(fragment.selectionSet, typeName);
    }
  }
}

const fragmentsOf = (document: DocumentNode): Record<string, FragmentDefinitionNode> =>
  Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );

/** Whether a query (its operation `definition` in `document`) is made of allowed fields only, and under which rules. */
export function analyzeOperation(
  schema: GraphQLSchema,
  policy: CachePolicy,
  document: DocumentNode,
  definition: OperationDefinitionNode,
): Cacheable | undefined {
  if (definition.operation !== 'query') return undefined;
  const walk = new Walk(schema, policy, fragmentsOf(document));
  try {
    walk.root(definition.selectionSet);
  } catch (err) {
    if (err instanceof NotCacheable) return undefined;
    throw err;
  }
  if (!walk.applied) return undefined;
  return {
    scope: walk.scope,
    bypassRoles: walk.bypassRoles,
    entityTypes: walk.entityTypes.size ? walk.entityTypes : undefined,
    dataTypes: walk.dataTypes,
  };
}

/**
 * Analyses of subgraph operations, by their text: a supergraph's query plans send a bounded set
 * of documents, each analysed once. One per supergraph (built again on every update).
 */
export class FetchAnalyzer {
  private readonly seen = new Lru<string, Analysis>(5_000);

  constructor(
    readonly schema: GraphQLSchema,
    readonly policy: CachePolicy,
  ) {}

  analyze(query: string, document?: DocumentNode): Analysis {
    let analysis = this.seen.get(query);
    if (!analysis) {
      analysis = this.build(query, document);
      this.seen.set(query, analysis);
    }
    return analysis;
  }

  private build(query: string, given?: DocumentNode): Analysis {
    let document: DocumentNode;
    try {
      document = given ?? parse(query);
    } catch {
      return { operation: 'unknown' };
    }
    const definitions = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (definitions.length !== 1) return { operation: 'unknown' };
    const [definition] = definitions;
    return {
      operation: definition.operation,
      cacheable: analyzeOperation(this.schema, this.policy, document, definition),
      document,
      definition,
    };
  }

  /**
   * The entities of allowed types a mutation's answer names (`{ type, id }`), found by walking
   * the answer along its selection: what the mutation changed, as far as its answer tells.
   * `unidentified` when it names one without its id (the client did not select it).
   */
  changedEntities(analysis: Analysis, data: unknown): { entities: Array<{ type: string; id: string }>; unidentified: boolean } {
    const mutation = this.schema.getMutationType();
    const found = new Map<string, { type: string; id: string }>();
    let unidentified = false;
    if (analysis.operation !== 'mutation' || !analysis.document || !analysis.definition || !mutation || !isRecord(data)) {
      return { entities: [], unidentified };
    }
    const fragments = fragmentsOf(analysis.document);
    const visit = (value: unknown, set: SelectionSetNode, type: GraphQLNamedType) => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item, set, type);
        return;
      }
      if (!isRecord(value)) return;
      const typename = typeof value.__typename === 'string' ? value.__typename : type.name;
      const runtime = this.schema.getType(typename);
      if (!runtime || !isObjectType(runtime)) return;
      if (this.policy.types[typename]) {
        if (typeof value.id === 'string') found.set(`${typename}:${value.id}`, { type: typename, id: value.id });
        else unidentified = true;
      }
      for (const field of fieldsOf(set, fragments)) {
        const definition = runtime.getFields()[field.name.value];
        const child = value[field.alias?.value ?? field.name.value];
        if (definition && field.selectionSet) visit(child, field.selectionSet, getNamedType(definition.type));
      }
    };
    for (const field of fieldsOf(analysis.definition.selectionSet, fragments)) {
      const definition = mutation.getFields()[field.name.value];
      const child = data[field.alias?.value ?? field.name.value];
      if (definition && field.selectionSet) visit(child, field.selectionSet, getNamedType(definition.type));
    }
    return { entities: [...found.values()], unidentified };
  }
}

/** Every field of a selection set, fragments expanded whatever their type condition (the answer only has those that applied). */
function* fieldsOf(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): Generator<FieldNode> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* fieldsOf(selection.selectionSet, fragments);
    else if (fragments[selection.name.value]) yield* fieldsOf(fragments[selection.name.value].selectionSet, fragments);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
