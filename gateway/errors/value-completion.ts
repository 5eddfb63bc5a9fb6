import type { GatewayExecutionResult, GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';

interface Violation {
  message?: unknown;
  path?: unknown;
}

/**
 * @apollo/gateway (2.14) checks the merged subgraph data against the schema after execution
 * (a null for a non-null field, a wrong __typename), nulls the nearest nullable parent, and
 * reports what it found only in `extensions.valueCompletion`, which clients do not read: they
 * see a null, often `data: null`, and no error. Each finding becomes an error with its path and
 * SUBGRAPH_INVALID_RESPONSE, logged for operators since it is a server-side fault.
 *
 * When a subgraph also returned errors the gateway drops these findings altogether; the
 * subgraph's errors (with their paths) then explain the nulls.
 */
export function surfaceValueCompletion(result: GatewayExecutionResult, logger: Logger): GatewayExecutionResult {
  const { valueCompletion, ...extensions } = (result.extensions ?? {}) as { valueCompletion?: unknown };
  if (!Array.isArray(valueCompletion) || valueCompletion.length === 0) return result;
  const errors = (valueCompletion as Violation[]).map((v) => {
    const path = Array.isArray(v.path) ? (v.path as Array<string | number>) : undefined;
    const message = typeof v.message === 'string' ? v.message : 'Invalid value from a subgraph';
    return new GraphQLError(message, { path, extensions: { code: ErrorCode.SUBGRAPH_INVALID_RESPONSE } });
  });
  logger.error({ violations: errors.map((e) => ({ message: e.message, path: e.path?.join('.') })) }, 'subgraph data broke the schema');
  const { extensions: _all, ...rest } = result;
  return { ...rest, errors: [...(result.errors ?? []), ...errors], ...(Object.keys(extensions).length ? { extensions } : {}) };
}

/**
 * The gateway as Apollo Server sees it, with every execution result passed through
 * surfaceValueCompletion, so these errors are formatted, counted and answered like any other.
 */
export function withValueCompletionErrors(gateway: GatewayInterface, logger: Logger): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const loaded = await gateway.load(options);
      const executor = loaded.executor;
      return {
        ...loaded,
        executor: executor && (async (requestContext) => surfaceValueCompletion(await executor(requestContext), logger)),
      };
    },
  };
}
