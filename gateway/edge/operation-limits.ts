import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError, ParseOptions, ValidationContext } from 'graphql';
import { ErrorCode } from '../../platform/errors';
import { operationLimitError } from '../../platform/graphql/operation-errors';
import { message } from '../../platform/i18n/message';

/** The size and shape limits of every operation, HTTP and subscription alike. */
export interface OperationLimits {
  /** Field nesting depth. Default 12. */
  maxDepth: number;
  /** Aliases in an operation (`__typename` aliases are free). Default 15. */
  maxAliases: number;
  /** Directives in an operation. Default 50. */
  maxDirectives: number;
  /** graphql-armor's cost estimate (objects 2, scalars 1, ×1.5 per level). Default 5000. */
  maxCost: number;
  /** Lexical tokens in the document, enforced by graphql-js's parser. Default 2000. */
  maxTokens: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 50,
  maxCost: 5000,
  maxTokens: 2000,
};

/** armor's message ends with ", found <n>." when limits are exposed (its default). */
const foundIn = (message: string): number | undefined => {
  const match = /found (\d+(?:\.\d+)?)/.exec(message);
  return match ? Math.ceil(Number(match[1])) : undefined;
};

/**
 * armor's rejection reported as the limit's own error. armor's default for Apollo reports every
 * limit the same way (BAD_USER_INPUT, which Apollo turns into GRAPHQL_VALIDATION_FAILED) and
 * prefixes "Syntax Error"; clients need to know which limit, and its value, to fix the operation.
 */
function reject(code: ErrorCode, limit: number, describe: (found: number | undefined) => string) {
  return [
    (ctx: ValidationContext | null, error: GraphQLError) => {
      const found = foundIn(error.message);
      const coded = operationLimitError(code, describe(found), limit, found);
      // Validation rules always have a context; without one, refusing loudly beats letting it through.
      if (!ctx) throw coded;
      ctx.reportError(coded);
    },
  ];
}

const over = (what: string, found: number | undefined, limit: number) =>
  found === undefined ? message(`${what}: over the limit of ${limit}`) : message(`${what}: ${found}, the limit is ${limit}`);

/**
 * graphql-armor's validation rules and plugins, and graphql-js parse options, for `limits`. The
 * token limit stays with graphql-js's parser (parseOptions): armor's own check re-parses the
 * document and turns a plain syntax error into a 500.
 */
export function operationLimits(opts: { production: boolean; limits?: Partial<OperationLimits> }) {
  const limits = { ...DEFAULT_OPERATION_LIMITS, ...opts.limits };
  // propagateOnRejection false + our onReject: ApolloArmor then adds no handler of its own.
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      propagateOnRejection: false,
      onReject: reject(ErrorCode.MAX_DEPTH_EXCEEDED, limits.maxDepth, (found) =>
        over(message('Operation too deep'), found, limits.maxDepth),
      ),
    },
    maxAliases: {
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: reject(ErrorCode.MAX_ALIASES_EXCEEDED, limits.maxAliases, (found) =>
        over(message('Too many aliases'), found, limits.maxAliases),
      ),
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: reject(ErrorCode.MAX_DIRECTIVES_EXCEEDED, limits.maxDirectives, (found) =>
        over(message('Too many directives'), found, limits.maxDirectives),
      ),
    },
    maxTokens: { enabled: false },
    costLimit: {
      maxCost: limits.maxCost,
      propagateOnRejection: false,
      onReject: reject(ErrorCode.COST_LIMIT_EXCEEDED, limits.maxCost, (found) =>
        over(message('Operation too costly'), found, limits.maxCost),
      ),
    },
    blockFieldSuggestion: { enabled: opts.production },
  }).protect();
  const parseOptions: ParseOptions = { maxTokens: limits.maxTokens };
  return { armor, parseOptions, limits };
}
