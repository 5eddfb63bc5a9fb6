import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';

/** The codes of operations refused for their size or shape before anything runs. */
export const OPERATION_LIMIT_CODES: ReadonlySet<string> = new Set([
  ErrorCode.MAX_DEPTH_EXCEEDED,
  ErrorCode.MAX_ALIASES_EXCEEDED,
  ErrorCode.MAX_DIRECTIVES_EXCEEDED,
  ErrorCode.COST_LIMIT_EXCEEDED,
  ErrorCode.MAX_TOKENS_EXCEEDED,
]);

/** An operation over one of the limits: `limit` is the maximum, `found` the operation's value when known. */
export function operationLimitError(code: ErrorCode, message: string, limit: number, found?: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, ...(found === undefined ? {} : { found }) } });
}

/**
 * graphql-js's parser gives its token limit (`parseOptions.maxTokens`) no code; its message names
 * the limit ("Document contains more that 2000 tokens", spelt so in graphql 16).
 */
const TOKEN_LIMIT = /Document contains more th\w* (\d+) tokens/;

/** The token limit a parse error reports, if it is that error. */
export function tokenLimitOf(message: string): number | undefined {
  const match = TOKEN_LIMIT.exec(message);
  return match ? Number(match[1]) : undefined;
}

export const tokenLimitError = (limit: number) =>
  operationLimitError(ErrorCode.MAX_TOKENS_EXCEEDED, `Too many tokens: over the limit of ${limit}`, limit);

/**
 * A parse failure as clients get it over HTTP (Apollo Server's codes), for paths that parse
 * without Apollo Server (subscriptions): the token limit has its own code.
 */
export function parseFailure(error: GraphQLError): GraphQLError {
  const limit = tokenLimitOf(error.message);
  if (limit !== undefined) return tokenLimitError(limit);
  return new GraphQLError(error.message, {
    source: error.source,
    positions: error.positions,
    extensions: { code: 'GRAPHQL_PARSE_FAILED' },
  });
}

/** A validation failure as clients get it over HTTP: a rule's own limit code, else GRAPHQL_VALIDATION_FAILED. */
export function validationFailure(error: GraphQLError): GraphQLError {
  if (OPERATION_LIMIT_CODES.has(error.extensions.code as string)) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } });
}
