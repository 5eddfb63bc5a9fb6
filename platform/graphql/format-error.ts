import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { ErrorCode } from '../errors';

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
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError` for every server: expected errors keep their message and code;
 * class-validator failures become one readable message plus a per-field list; anything
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
    if (code && EXPECTED.has(code)) return { ...formatted, extensions: rest };
    logger.error({ err: (error as { originalError?: unknown })?.originalError ?? error, path: formatted.path }, 'unexpected GraphQL error');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
  // Counted by the code the client sees, so dashboards show what clients experience.
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    metrics?.graphqlErrors.inc({ code: String(result.extensions?.code ?? 'UNKNOWN') });
    return result;
  };
}
