import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { INTERNAL_CONTEXT_HEADER, type InternalContextSigner } from '../../platform/auth/internal-context';
import type { Logger } from '../../platform/logger';
import { failedFetchResponse, isUnavailable } from '../errors/subgraph-failure';
import { internalContextOf, type GatewayContext } from './context';
import { reuseOrSign, type ReusedToken } from './reused-tokens';

/**
 * Calls one subgraph with a signed internal context (tenant, user, roles, client IP, request id),
 * audience-bound to that subgraph. The client's own Authorization header is never forwarded:
 * subgraphs trust only the gateway's signature.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  /**
   * This subgraph's token for each request in flight, keyed by the request's context object (the
   * gateway hands the same one to every fetch of a request). A query plan may fetch from one
   * subgraph many times (entities, nested types) with the same identity: one signature serves
   * them all. Weak, so an entry goes with its request.
   */
  private readonly tokens = new WeakMap<object, ReusedToken>();

  constructor(
    readonly name: string,
    url: string,
    private readonly sign: InternalContextSigner,
    private readonly logger?: Logger,
  ) {
    super({ url });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const ctx = context as Partial<GatewayContext>;
    const token = await reuseOrSign(this.tokens, ctx, () => this.sign(internalContextOf(ctx), this.name));
    request.http?.headers.set(INTERNAL_CONTEXT_HEADER, token);
    if (ctx.requestId) request.http?.headers.set('x-request-id', ctx.requestId);
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
