import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { INTERNAL_CONTEXT_HEADER, type InternalContextSigner } from '../../platform/auth/internal-context';
import type { Logger } from '../../platform/logger';
import { injectTraceContext } from '../../platform/tracing/propagation';
import { tracingOn } from '../../platform/tracing/tracing';
import { failedFetchResponse, isUnavailable } from '../errors/subgraph-failure';
import { internalContextOf, type GatewayContext } from './context';
import { LruTokens, reuseOrSign } from './reused-tokens';
import type { Fetcher } from './subgraph-fetcher';

export interface SubgraphSourceOptions {
  /** The HTTP client of its calls (edge/subgraph-fetcher.ts); default RemoteGraphQLDataSource's own. */
  fetcher?: Fetcher;
  /** Identities whose tokens are kept for reuse. Default 5000. */
  maxIdentities?: number;
}

/**
 * Calls one subgraph with a signed internal context (tenant, user, roles, client IP, locale),
 * audience-bound to that subgraph, and the request id in `x-request-id`. The client's own
 * Authorization header is never forwarded: subgraphs trust only the gateway's signature.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  /**
   * This subgraph's token for each identity, reused for half its lifetime (reused-tokens.ts) by
   * every fetch of every request with that identity: a query plan fetches from one subgraph
   * several times per request, and a client sends many requests a minute. The key is the signed
   * context itself, whole but for the request id, so a token never vouches for anything its
   * request did not say: same school (and its time zone), user, roles, session, locale and
   * client IP (subgraphs limit logins and password resets by IP, so it stays signed and keyed).
   * The request id, which differs every time, is left out of the token: subgraphs take it from
   * `x-request-id` (platform/graphql/subgraph-server.ts), which every call carries.
   */
  private readonly tokens: LruTokens<string>;

  constructor(
    readonly name: string,
    url: string,
    private readonly sign: InternalContextSigner,
    private readonly logger?: Logger,
    options: SubgraphSourceOptions = {},
  ) {
    // Only a given fetcher: `fetcher: undefined` would replace the default with nothing.
    super(options.fetcher ? { url, fetcher: options.fetcher } : { url });
    this.tokens = new LruTokens(options.maxIdentities ?? 5_000);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const { requestId, ...identity } = internalContextOf(context as Partial<GatewayContext>);
    const token = await reuseOrSign(this.tokens, JSON.stringify(identity), () => this.sign(identity, this.name));
    request.http?.headers.set(INTERNAL_CONTEXT_HEADER, token);
    if (requestId) request.http?.headers.set('x-request-id', requestId);
    // Tracing on: the subgraph's server span becomes a child of this fetch's span (gateway.fetch).
    const headers = request.http?.headers;
    if (headers && tracingOn()) injectTraceContext((name, value) => headers.set(name, value));
  }

  /**
   * A call that fails without a GraphQL answer (subgraph down, timeout, an HTTP error status)
   * would reach the client as one pathless, masked error, or as the raw HTTP error with the
   * subgraph's URL in it. It becomes a GraphQL answer instead: an error on each field it leaves
   * without data, SERVICE_UNAVAILABLE when the subgraph could not be reached, so the gateway
   * keeps the other subgraphs' data and names the service.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (err) {
      // Only a client's operation has fields to answer for (not health checks or schema loading).
      if (!('incomingRequestContext' in options)) throw err;
      const unavailable = isUnavailable(err);
      this.logger?.[unavailable ? 'warn' : 'error'](
        { err, subgraph: this.name },
        unavailable ? 'subgraph unavailable' : 'subgraph call failed',
      );
      return failedFetchResponse(options.request, unavailable, this.name);
    }
  }
}
