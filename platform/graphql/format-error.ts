import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { ErrorCode } from '../errors';
import { OPERATION_LIMIT_CODES, tokenLimitError, tokenLimitOf } from './operation-errors';

interface ValidationError {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationError[];
}

function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Codes whose message was written for the client; anything else is masked. */
const EXPECTED = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  // A trusted-only client's operation that is not in its list (gateway/persisted/trusted-documents.ts).
  'PERSISTED_QUERY_NOT_IN_LIST',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo Server's parse and validation wrappers overwrite the cause's code: give operation-limit
 * errors theirs back (a limit rule's own code; graphql-js's token limit, which has none).
 */
function limitCodeOf(formatted: GraphQLFormattedError, code: string | undefined, error: unknown): GraphQLFormattedError | undefined {
  if (code === 'GRAPHQL_PARSE_FAILED') {
    const limit = tokenLimitOf(formatted.message);
    return limit === undefined ? undefined : { ...tokenLimitError(limit).toJSON(), locations: formatted.locations };
  }
  const cause = (error as { originalError?: unknown } | undefined)?.originalError;
  if (code === 'GRAPHQL_VALIDATION_FAILED' && cause instanceof GraphQLError && OPERATION_LIMIT_CODES.has(cause.extensions.code as string)) {
    return { ...cause.toJSON(), locations: formatted.locations };
  }
  return undefined;
}

/**
 * Apollo `formatError` for every server: expected errors keep their message and code (and a
 * subgraph's error its `serviceName`, which the gateway adds); class-validator failures become
 * one readable message plus a per-field list; operation-limit errors keep their own code; anything
 * unexpected is logged with its stack and reaches the client as a generic INTERNAL_SERVER_ERROR.
 */
export function createFormatError(logger: Logger, metrics?: Pick<Metrics, 'graphqlErrors'>) {
  const format = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const ext = (formatted.extensions ?? {}) as Record<string, unknown>;
    const code = typeof ext.code === 'string' ? ext.code : undefined;
    const { stacktrace: _s, exception: _e, validationErrors, ...rest } = ext;
    if (Array.isArray(validationErrors)) {
      const fields = flatten(validationErrors as ValidationError[]);
      const message = `Invalid input: ${fields.map((f) => `${f.field} (${f.problems.join('; ')})`).join(', ')}`;
      return { ...formatted, message, extensions: { ...rest, code: ErrorCode.BAD_USER_INPUT, fields } };
    }
    const limited = limitCodeOf(formatted, code, error);
    if (limited) return limited;
    if (code && EXPECTED.has(code)) return { ...formatted, extensions: rest };
    const serviceName = typeof ext.serviceName === 'string' ? ext.serviceName : undefined;
    // A subgraph's INTERNAL_SERVER_ERROR was masked and logged where it happened (the subgraph,
    // or the gateway's data source when the subgraph could not answer): logging it again adds nothing.
    if (!(serviceName && code === ErrorCode.INTERNAL_SERVER_ERROR)) {
      logger.error(
        { err: (error as { originalError?: unknown })?.originalError ?? error, path: formatted.path },
        'unexpected GraphQL error',
      );
    }
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      // Which subgraph failed is no secret (expected errors name it too) and tells operators where to look.
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(serviceName ? { serviceName } : {}) },
    };
  };
  // Counted by the code the client sees, so dashboards show what clients experience; by subgraph
  // too when one is named (which dependency is failing).
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    const subgraph = result.extensions?.serviceName;
    metrics?.graphqlErrors.inc({
      code: String(result.extensions?.code ?? 'UNKNOWN'),
      ...(typeof subgraph === 'string' ? { subgraph } : {}),
    });
    return result;
  };
}
