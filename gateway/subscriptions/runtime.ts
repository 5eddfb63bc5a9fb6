import { operationFromDocument, type Schema, type Supergraph } from '@apollo/federation-internals';
import { buildOperationContext } from '@apollo/gateway';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { remember } from './remember';

/** Name of the synthetic data source that hands each upstream event to the executor. */
export const EVENT_SOURCE = '__event';

export type OperationContext = ReturnType<typeof buildOperationContext>;

/** How one subscription operation runs on one supergraph version. */
export interface SubscriptionPlan {
  runtime: SupergraphRuntime;
  /** The fetch that feeds the subscription: sent once to the owning subgraph as a subscription. */
  primary: FetchNode;
  /**
   * Run once per event: the primary answered by the synthetic `__event` source (its data is the
   * upstream event), then `rest`, the entity fetches to the other subgraphs.
   */
  perEvent: QueryPlan;
  operationContext: OperationContext;
  /** Same value: the same request to the same subgraph, so a running upstream can be kept. */
  upstreamSignature: string;
  /** Set when the owning subgraph admits many subscribers of this field in one call (admission-batcher.ts). */
  batchAdmission?: BatchAdmission;
}

/**
 * The owning subgraph's batch admission of a subscription field, found in the supergraph by
 * convention: for `Subscription.<field>(args…)`, a `Query.<field>Admissions(requests: [X]!)`
 * of the same subgraph, each request being the field's arguments plus `viewer` (the
 * subscriber's signed context), answering `[SubscriptionAdmission]` (`sharing`, `replays`) in
 * order, with an error at the index of each one refused.
 */
export interface BatchAdmission {
  /** The Query field, e.g. `liveSessionEventsAdmissions`. */
  field: string;
  /** Type of its `requests` argument as written in a variable definition, e.g. `[LiveSessionEventsAdmissionRequest!]!`. */
  requestsType: string;
  /** Response key of the root field in the client's operation (refusals are located there, as before). */
  responseKey: string;
  /** The root field's arguments in the primary operation; their values come from each client's variables. */
  arguments: readonly ArgumentNode[];
}

/** Suffix of the Query field that admits many subscribers of a subscription field at once. */
export const BATCH_ADMISSION_SUFFIX = 'Admissions';

/**
 * Everything derived from one supergraph version: schemas, planner, and caches of validation
 * results and plans (planning costs milliseconds; identical clients send identical operations).
 * Rebuilt on every supergraph update; live groups then re-plan against the new one.
 */
export class SupergraphRuntime {
  readonly apiSchema: Schema;
  /** Validation, and the schema graphql-ws is told about. */
  readonly apiGql: GraphQLSchema;
  /** Argument 5 of executeQueryPlan. */
  readonly supergraphGql: GraphQLSchema;
  /** Routing URLs by subgraph name, as written in the supergraph. */
  readonly routingUrls: Record<string, string>;
  private readonly planner: QueryPlanner;
  private readonly plans = new Map<string, SubscriptionPlan>();
  private readonly validations = new Map<string, readonly GraphQLError[]>();
  /** By `service\nsubscription field`: the Query field admitting many at once, and the type of its `requests`. */
  private readonly batchAdmissions = new Map<string, { field: string; requestsType: string }>();

  constructor(
    supergraph: Supergraph,
    private readonly rules: readonly ValidationRule[] = [],
    /** Distinct operations whose plan and validation are kept. Default 1000. */
    private readonly cacheSize = 1000,
  ) {
    this.apiSchema = supergraph.apiSchema();
    this.apiGql = this.apiSchema.toGraphQLJSSchema();
    this.supergraphGql = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
    this.routingUrls = Object.fromEntries(supergraph.subgraphsMetadata().map((s) => [s.name, s.url]));
    for (const subgraph of supergraph.subgraphs().values()) {
      const subscription = subgraph.schema.schemaDefinition.rootType('subscription');
      const query = subgraph.schema.schemaDefinition.rootType('query');
      for (const field of subscription?.fields() ?? []) {
        const requests = query?.field(`${field.name}${BATCH_ADMISSION_SUFFIX}`)?.argument('requests');
        if (requests) {
          this.batchAdmissions.set(`${subgraph.name}\n${field.name}`, {
            field: `${field.name}${BATCH_ADMISSION_SUFFIX}`,
            requestsType: requests.type!.toString(),
          });
        }
      }
    }
  }

  /** Validation errors of `document` (identified by `text`) against this version's API schema. */
  validate(text: string, document: DocumentNode): readonly GraphQLError[] {
    let errors = this.validations.get(text);
    if (!errors) {
      errors = validate(this.apiGql, document, [...specifiedRules, ...this.rules]);
      remember(this.validations, text, errors, this.cacheSize);
    }
    return errors;
  }

  /** The plan of a validated subscription operation. Throws a GraphQLError when it cannot be planned. */
  plan(text: string, document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const key = `${operationName ?? ''}\n${text}`;
    const hit = this.plans.get(key);
    if (hit) return hit;
    let queryPlan: QueryPlan;
    try {
      queryPlan = this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, document, { operationName }));
    } catch (err) {
      throw err instanceof GraphQLError
        ? err
        : new GraphQLError('This subscription cannot be planned', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    }
    const node = queryPlan.node;
    if (node?.kind !== 'Subscription') {
      throw new GraphQLError('Only subscription operations are served over WebSocket', { extensions: { code: 'BAD_REQUEST' } });
    }
    const primary: FetchNode = { ...node.primary, serviceName: EVENT_SOURCE };
    const perEventNode: PlanNode = node.rest ? { kind: 'Sequence', nodes: [primary, node.rest] } : primary;
    const plan: SubscriptionPlan = {
      runtime: this,
      primary: node.primary,
      perEvent: { kind: 'QueryPlan', node: perEventNode },
      operationContext: buildOperationContext({ schema: this.apiGql, operationDocument: document, operationName }),
      upstreamSignature: JSON.stringify([node.primary.serviceName, node.primary.operation, node.primary.variableUsages ?? []]),
      batchAdmission: this.batchAdmissionOf(node.primary),
    };
    remember(this.plans, key, plan, this.cacheSize);
    return plan;
  }

  private batchAdmissionOf(primary: FetchNode): BatchAdmission | undefined {
    const operation = parse(primary.operation).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const root = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD && !s.name.value.startsWith('__'));
    if (root?.kind !== Kind.FIELD) return undefined;
    const batch = this.batchAdmissions.get(`${primary.serviceName}\n${root.name.value}`);
    return batch && { ...batch, responseKey: root.alias?.value ?? root.name.value, arguments: root.arguments ?? [] };
  }
}
