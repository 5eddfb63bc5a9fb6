import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  buildSchema,
  execute,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  visit,
  BREAK,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
} from 'graphql';
import { ErrorCode, httpError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { sha256 } from '../../platform/secrets';
import { Lru } from '../cache/lru';
import type { GatewayContext } from '../edge/context';
import { API_KEY_HEADER } from './partner-keys';
import { registryGet, registryPoller, type Polled, type RegistryAccess } from './registry-poll';

/** The partner contract a gateway holds: its hash (cache key) and schema; null while none is published. */
export interface ContractSchema {
  hash: string;
  schema: GraphQLSchema;
}

/** Where the contract SDL comes from; null when the registry has none (404). */
export type ContractSource = (etag: string | undefined) => Promise<Polled<string | null>>;

/** The registry's `GET /v1/contracts/partner` (a read token may read it; ETag, 304). */
export function registryPartnerContract(access: RegistryAccess): ContractSource {
  return (etag) => registryGet<string | null>(access, '/v1/contracts/partner', etag, (res) => res.text(), null);
}

/**
 * The partner contract, reloaded at every poll and built into a GraphQLSchema once per version
 * (the registry's ETag): a new contract applies to partners at the next poll.
 */
export function partnerContract(opts: { source: ContractSource; pollIntervalMs: number; logger: Logger }) {
  let current: ContractSchema | null = null;
  const poller = registryPoller({
    name: 'partner contract',
    load: opts.source,
    onValue: (sdl) => {
      if (sdl === null) current = null;
      else if (sha256(sdl) !== current?.hash) current = { hash: sha256(sdl), schema: buildSchema(sdl) };
    },
    pollIntervalMs: opts.pollIntervalMs,
    logger: opts.logger,
  });
  return {
    get loaded() {
      return poller.loaded;
    },
    /** The contract, null when none is published, undefined before a first load. */
    current: (): ContractSchema | null | undefined => (poller.loaded ? current : undefined),
    reload: () => poller.reload(),
    start: () => poller.start(),
    stop: () => poller.stop(),
  };
}
export type PartnerContract = ReturnType<typeof partnerContract>;

const hasIntrospection = (document: DocumentNode) => {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
};

/** Apollo's answer to an invalid operation, for errors found before Apollo sees the request. */
const VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';

/**
 * Partner calls (an API key) see the partner contract as the whole schema:
 *  - `middleware`, in front of Apollo Server, validates a partner's operation text against the
 *    contract before Apollo parses it against the API schema, so a field outside the contract
 *    "does not exist" in the very words, and with the very errors, of a schema without it
 *    (GRAPHQL_VALIDATION_FAILED, 400), and no error names what lies outside (suggestions come
 *    from the contract, and none in production). A request with an unknown key passes on, to be
 *    refused UNAUTHENTICATED by the context;
 *  - `plugin` checks the resolved document of every partner operation again (one sent by APQ
 *    hash alone, that the middleware could not read), and answers introspection, when allowed,
 *    from the contract.
 * Verdicts are remembered per contract version and operation text.
 */
export function contractValidation(
  contract: Pick<PartnerContract, 'current'>,
  opts: {
    /** Whether the request carries a live partner key (others pass untouched). */
    isPartnerKey: (presented: string) => boolean;
    parseOptions?: ParseOptions;
    introspection: boolean;
    production: boolean;
  },
) {
  const rules = opts.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const verdicts = new Lru<string, readonly GraphQLError[]>(5_000);
  const messageOf = (error: GraphQLError) => (opts.production ? error.message.replace(/ Did you mean .*\?$/, '') : error.message);
  const schemaOf = () => {
    const current = contract.current();
    if (current === undefined)
      throw httpError(ErrorCode.SERVICE_UNAVAILABLE, 'Partner access is not ready yet; try again shortly', { retryAfterSeconds: 5 });
    if (current === null) throw httpError(ErrorCode.FORBIDDEN, 'No partner contract is published');
    return current;
  };
  const verdict = (current: ContractSchema, source: string, document?: DocumentNode): readonly GraphQLError[] | undefined => {
    const key = `${current.hash}:${sha256(source)}`;
    let errors = verdicts.get(key);
    if (!errors) {
      try {
        document ??= parse(source, opts.parseOptions);
      } catch {
        return undefined; // Apollo reports the syntax error (or the token limit) itself.
      }
      errors = validate(current.schema, document, rules);
      verdicts.set(key, errors);
    }
    return errors;
  };

  const middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const presented = req.header(API_KEY_HEADER);
    if (presented === undefined || !opts.isPartnerKey(presented.trim())) return next();
    const current = contract.current();
    const query =
      req.method === 'GET'
        ? new URL(req.url, 'http://gateway').searchParams.get('query')
        : (req.body as { query?: unknown } | undefined)?.query;
    if (!current || typeof query !== 'string' || !query) return next();
    const errors = verdict(current, query);
    if (!errors?.length) return next();
    res.status(400).json({
      errors: errors.map((e) => ({ message: messageOf(e), locations: e.locations, extensions: { code: VALIDATION_FAILED } })),
    });
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      if (!contextValue.partner) return;
      return {
        async didResolveOperation({ source, document }) {
          const errors = verdict(schemaOf(), source, document);
          if (errors?.length) {
            throw new GraphQLError(messageOf(errors[0]), {
              nodes: errors[0].nodes,
              extensions: { code: VALIDATION_FAILED, http: { status: 400, headers: new HeaderMap() } },
            });
          }
        },
        async responseForOperation({ document, request, operationName }): Promise<GraphQLResponse | null> {
          if (!hasIntrospection(document)) return null;
          const result = await execute({ schema: schemaOf().schema, document, operationName, variableValues: request.variables });
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: {
              kind: 'single',
              singleResult: { data: result.data, ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}) },
            },
          };
        },
      };
    },
  };
  return { middleware, plugin };
}
