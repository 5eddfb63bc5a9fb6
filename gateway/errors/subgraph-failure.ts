import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, parse, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../../platform/errors';

/** When a client may retry after a subgraph could not be reached. */
export const SUBGRAPH_RETRY_AFTER_SECONDS = 5;

/** minipass-fetch (RemoteGraphQLDataSource's fetcher) error types of a call that never got an answer. */
const UNREACHABLE = new Set(['system', 'request-timeout', 'body-timeout', 'aborted']);
/** Node's socket errors (node:http, as the subscriptions' entity fetcher uses). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Whether a failed subgraph call means the subgraph is down or overloaded (connection refused or
 * reset, DNS, timeout, or a proxy's 502/503/504) rather than a fault of the subgraph's answer.
 */
export function isUnavailable(err: unknown): boolean {
  const { name, type, code } = (err ?? {}) as { name?: unknown; type?: unknown; code?: unknown };
  if (name === 'FetchError') return UNREACHABLE.has(String(type));
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (name === 'AbortError') return true;
  if (err instanceof GraphQLError) {
    const status = (err.extensions.response as { status?: unknown } | undefined)?.status;
    return status === 502 || status === 503 || status === 504;
  }
  return false;
}

/** The top-level response keys of a selection set, inline fragments flattened (those of `typename` only, if given). */
function fieldsOf(selectionSet: SelectionSetNode, typename?: string): string[] {
  return selectionSet.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === '__typename' ? [] : [(s.alias ?? s.name).value];
    if (s.kind === Kind.INLINE_FRAGMENT) {
      if (typename && s.typeCondition && s.typeCondition.name.value !== typename) return [];
      return fieldsOf(s.selectionSet, typename);
    }
    return [];
  });
}

/**
 * The paths, in the subgraph request, of the fields a failed fetch leaves without data: the
 * root fields of a root fetch; each entity's fields of an `_entities` fetch
 * (`['_entities', i, field]`), which the gateway maps onto the client's paths.
 */
function failedPaths(request: GatewayGraphQLRequest): Array<Array<string | number>> {
  let operation;
  try {
    operation = parse(request.query ?? '').definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return [];
  }
  if (!operation) return [];
  const representations = request.variables?.representations;
  const entities = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (!Array.isArray(representations) || entities?.kind !== Kind.FIELD || !entities.selectionSet) {
    return fieldsOf(operation.selectionSet).map((field) => [field]);
  }
  const selectionSet = entities.selectionSet;
  return representations.flatMap((representation, i) => {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    return fieldsOf(selectionSet, typeof typename === 'string' ? typename : undefined).map((field) => ['_entities', i, field]);
  });
}

/**
 * The answer a subgraph call that failed stands for: one error per field left without data, so
 * the client learns which fields are missing and why, and the rest of the response is kept.
 * SERVICE_UNAVAILABLE when the subgraph could not be reached, else INTERNAL_SERVER_ERROR (the
 * cause is the operators' to read in the logs, not the client's). The gateway adds `serviceName`
 * and maps the paths onto the client's operation.
 */
export function failedFetchResponse(request: GatewayGraphQLRequest, unavailable: boolean, serviceName: string): GatewayGraphQLResponse {
  const error: GraphQLFormattedError = unavailable
    ? {
        message: `The ${serviceName} service is unavailable; try again shortly`,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: SUBGRAPH_RETRY_AFTER_SECONDS },
      }
    : { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  const paths = failedPaths(request);
  return { errors: paths.length ? paths.map((path) => ({ ...error, path })) : [error] };
}
