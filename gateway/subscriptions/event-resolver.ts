import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../platform/logger';
import { failedFetchResponse, isUnavailable } from '../errors/subgraph-failure';
import { surfaceValueCompletion } from '../errors/value-completion';
import type { EventContext } from './entity-fetcher';
import { EVENT_SOURCE, type SubscriptionPlan } from './runtime';

/** An event as the owning subgraph sent it (our protocol extensions already removed). */
export interface UpstreamEvent {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface ResolveOptions {
  plan: SubscriptionPlan;
  /** The client's variables, coerced. */
  variables: Record<string, unknown>;
  context: EventContext;
  /** One EntityFetcher per subgraph. */
  services: ServiceMap;
  formatError: FormatError;
  logger: Logger;
}

/**
 * Resolves one upstream event into the client's result: the executor runs the plan's per-event
 * part, where the primary fetch is answered by the event itself and `rest` fetches the other
 * subgraphs' fields through `_entities`, then shapes the answer to the client's operation.
 *
 * A failure that is not a GraphQL error (a subgraph unreachable, a timeout) is tried once more
 * before the result is delivered: in a shared group one such hiccup would reach every member.
 */
export async function resolveEvent(event: UpstreamEvent, opts: ResolveOptions): Promise<FormattedExecutionResult> {
  let result = await execute(event, opts, opts.services);
  if (result.errors?.some((e) => !(e instanceof GraphQLError))) result = await execute(event, opts, answeringUnavailability(opts.services));
  // Non-null violations in the merged data are errors here too, not a silent null.
  result = surfaceValueCompletion(result, opts.logger);
  if (!result.errors?.length) return { data: result.data };
  return { data: result.data, errors: result.errors.map((e) => formatEventError(e, opts)) };
}

/**
 * The services, with a subgraph that cannot be reached answering SERVICE_UNAVAILABLE (serviceName,
 * the fields' paths) as over HTTP, rather than an error the executor cannot place, which is masked.
 */
function answeringUnavailability(services: ServiceMap): ServiceMap {
  return Object.fromEntries(
    Object.entries(services).map(([name, source]): [string, GraphQLDataSource] => [
      name,
      {
        process: (options) =>
          source.process(options).catch((err: unknown) => {
            if (!isUnavailable(err)) throw err;
            return failedFetchResponse(options.request, true, name);
          }),
      },
    ]),
  );
}

async function execute(event: UpstreamEvent, opts: ResolveOptions, services: ServiceMap) {
  // The executor merges fetched entities into the objects it is given, so each attempt gets its own copy.
  const source: GraphQLDataSource = { process: async () => ({ data: structuredClone(event.data) ?? null, errors: event.errors }) };
  const { plan } = opts;
  // A minimal request context: the executor reads `request.variables`, `logger` and `context`,
  // and writes `metrics.nonFtv1ErrorPaths` when a subgraph returns errors (so a fresh object).
  const requestContext = {
    request: { variables: opts.variables },
    context: opts.context,
    logger: opts.logger,
    metrics: {},
    operation: plan.operationContext.operation,
    schema: plan.runtime.apiGql,
  } as unknown as GatewayGraphQLRequestContext;
  return executeQueryPlan(
    plan.perEvent,
    { ...services, [EVENT_SOURCE]: source },
    requestContext,
    plan.operationContext,
    plan.runtime.supergraphGql,
    plan.runtime.apiSchema,
  );
}

/**
 * Errors reach graphql-ws clients without Apollo Server's formatting: wrap raw errors (a
 * FetchError has no toJSON and would kill the socket's subscription), name the owning subgraph
 * instead of the synthetic event source, and mask anything unexpected (no stack, no internals).
 */
function formatEventError(error: unknown, opts: ResolveOptions): GraphQLFormattedError {
  const graphqlError =
    error instanceof GraphQLError ? error : new GraphQLError((error as Error)?.message ?? String(error), { originalError: error as Error });
  const formatted = graphqlError.toJSON();
  if (formatted.extensions?.serviceName === EVENT_SOURCE) {
    (formatted as { extensions: Record<string, unknown> }).extensions = {
      ...formatted.extensions,
      serviceName: opts.plan.primary.serviceName,
    };
  }
  return opts.formatError(formatted, graphqlError);
}
