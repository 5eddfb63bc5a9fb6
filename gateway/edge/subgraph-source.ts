import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { INTERNAL_CONTEXT_HEADER, type InternalContextSigner } from '../../platform/auth/internal-context';
import { internalContextOf, type GatewayContext } from './context';

/**
 * Calls one subgraph with a freshly signed internal context (tenant, user, roles, client IP,
 * request id), audience-bound to that subgraph. The client's own Authorization header is never
 * forwarded: subgraphs trust only the gateway's signature.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    private readonly sign: InternalContextSigner,
  ) {
    super({ url });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const ctx = context as Partial<GatewayContext>;
    const token = await this.sign(internalContextOf(ctx), this.name);
    request.http?.headers.set(INTERNAL_CONTEXT_HEADER, token);
    if (ctx.requestId) request.http?.headers.set('x-request-id', ctx.requestId);
  }
}
