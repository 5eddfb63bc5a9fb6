import { GraphQLError } from 'graphql';

/**
 * The stable `extensions.code` values clients switch on. Add codes here, never ad hoc strings,
 * so the list stays the single contract.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** A quiz's maximum number of attempts is used up. */
  ATTEMPT_LIMIT_REACHED: 'ATTEMPT_LIMIT_REACHED',
  /** Too late: e.g. a quiz attempt submitted after its deadline. */
  DEADLINE_PASSED: 'DEADLINE_PASSED',
  /** A single-use link or token (password reset) is past its validity: ask for a new one. */
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TENANT_REQUIRED: 'TENANT_REQUIRED',
  TENANT_NOT_FOUND: 'TENANT_NOT_FOUND',
  /**
   * A dependency is down or overloaded; the same request may succeed later. `serviceName` names
   * it, `retryAfterSeconds` (and the Retry-After header, when it is the whole answer) when to retry.
   */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /**
   * A subgraph's data broke the schema (null for a non-null field, a wrong type): the field's
   * nearest nullable parent is null. A server-side fault, reported with its `path`.
   */
  SUBGRAPH_INVALID_RESPONSE: 'SUBGRAPH_INVALID_RESPONSE',
  /** Operation limits (gateway): `limit` is the maximum allowed, `found` what the operation has when known. */
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const httpStatus: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  TENANT_REQUIRED: 400,
  TENANT_NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
};

/** The HTTP status an error code implies when it is the whole answer (400 by default). */
export const statusOf = (code: ErrorCode): number => httpStatus[code] ?? 400;

/** An expected failure: its message is safe to show to the client as is. */
export function appError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/**
 * The `extensions.http` Apollo Server answers a request-level error with: the code's status, and
 * Retry-After when the error says when to retry (`retryAfterSeconds`), as RFC 9110 asks of 503 and 429.
 */
function httpHead(code: ErrorCode, extensions: Record<string, unknown>) {
  const retryAfter = extensions.retryAfterSeconds;
  return {
    status: statusOf(code),
    ...(typeof retryAfter === 'number' ? { headers: new Map([['retry-after', String(Math.ceil(retryAfter))]]) } : {}),
  };
}

/** Same as appError, plus the HTTP status (and Retry-After) Apollo Server should answer with (request-level errors). */
export function httpError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra, http: httpHead(code, extra) } });
}

export const unauthenticated = (message = 'Authentication required') => appError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'Not allowed') => appError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => appError(ErrorCode.NOT_FOUND, `${what} not found`);
export const badInput = (message: string, field?: string) => appError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const conflict = (message: string) => appError(ErrorCode.CONFLICT, message);

/** The body of a JSON error answer outside GraphQL execution (bad JSON, oversized body, …). */
export function errorBody(code: ErrorCode, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * Errors raised before execution (Apollo's context function) become the HTTP answer; give
 * them the status their code implies, else Apollo answers 500.
 */
export function withHttpStatus(err: unknown): unknown {
  if (!(err instanceof GraphQLError)) return err;
  const code = err.extensions.code as ErrorCode | undefined;
  if ((err.extensions as { http?: unknown }).http || !code) return err;
  return new GraphQLError(err.message, { extensions: { ...err.extensions, http: httpHead(code, err.extensions) } });
}
