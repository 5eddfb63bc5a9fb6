import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Express, RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import {
  INTERNAL_CONTEXT_HEADER,
  InternalContextError,
  type InternalContext,
  type InternalContextVerifier,
} from '../auth/internal-context';
import { scopeToTenant } from '../db/tenant';
import type { Locale } from '../i18n/locale';
import { ErrorCode, errorBody } from '../errors';
import { jsonErrorHandler } from '../http';
import type { Logger } from '../logger';
import { requestScope } from '../request-context';
import { cacheControlPlugins } from './cache-control';
import { createFormatError } from './format-error';

/** What every resolver of every subgraph gets. */
export interface SubgraphContext<Loaders = unknown> {
  /** A fork of the service's EntityManager for this request, with the tenant filter on. */
  em: EntityManager;
  tenant?: { id: string; slug: string; timezone?: string };
  user?: { id: string; roles: string[]; sessionId?: string };
  ip?: string;
  requestId: string;
  /** The caller's language as the gateway chose it (for text the subgraph formats itself: money, dates), when it said. */
  locale?: Locale;
  /** The digest of the identities the call's body carries, when its signed context vouches for some (internal-context.ts `vouchFor`). */
  vouches?: string;
  loaders: Loaders;
}

export interface SubgraphServerOptions<Loaders> {
  name: string;
  app: Express;
  schema: GraphQLSchema;
  orm: MikroORM;
  verifyContext: InternalContextVerifier;
  logger: Logger;
  production: boolean;
  createLoaders?: (ctx: Omit<SubgraphContext<Loaders>, 'loaders'>) => Loaders;
}

/** Refuses any call that does not carry a valid gateway-signed context (subgraphs are private). */
export function requireInternalContext(verify: InternalContextVerifier): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.internal = await verify(req.header(INTERNAL_CONTEXT_HEADER));
      const ctx = res.locals.internal as InternalContext;
      requestScope.assign({ tenant: ctx.tenant?.slug, userId: ctx.user?.id, requestId: ctx.requestId ?? requestScope.get()?.requestId });
      next();
    } catch (err) {
      const message = err instanceof InternalContextError ? err.message : 'invalid internal context';
      res.status(401).json(errorBody(ErrorCode.UNAUTHENTICATED, `Subgraph refused the call: ${message}`));
    }
  };
}

/**
 * Mounts a subgraph's Apollo Server at /graphql behind the internal-context check, building a
 * tenant-scoped EntityManager fork and DataLoaders per request.
 */
export async function mountSubgraph<Loaders>(opts: SubgraphServerOptions<Loaders>): Promise<ApolloServer<SubgraphContext<Loaders>>> {
  const apollo = new ApolloServer<SubgraphContext<Loaders>>({
    schema: opts.schema,
    introspection: !opts.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Our Shutdown drains HTTP before stopping Apollo; Apollo's own signal handler would race it.
    stopOnTerminationSignals: false,
    // Traces are only useful to Apollo's cloud, which we do not report to.
    // Cache hints sent to the gateway as Cache-Control (cache-control.ts).
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...cacheControlPlugins()],
    formatError: createFormatError(opts.logger),
  });
  await apollo.start();
  const contextFor = subgraphContextFactory(opts);
  opts.app.use(
    '/graphql',
    requireInternalContext(opts.verifyContext),
    expressMiddleware(apollo, { context: async ({ res }) => contextFor(res.locals.internal as InternalContext) }),
  );
  opts.app.use(jsonErrorHandler(opts.logger));
  return apollo;
}

/**
 * The resolver context for one gateway-signed identity: a fresh EntityManager fork with the
 * tenant filter on, and fresh DataLoaders. HTTP requests get one per request; subscriptions
 * (platform/graphql/subgraph-ws.ts) one per event. The fork and the loaders are built on first
 * use: most subscription events (a classroom's chat, resolved once per group and event) never
 * read the database, and building every feature's loaders for each was a fifth of courses' CPU
 * under the subscription benchmark. A spread copy (`{ ...ctx, user }`) takes them as they are.
 */
export function subgraphContextFactory<Loaders>(opts: Pick<SubgraphServerOptions<Loaders>, 'orm' | 'createLoaders'>) {
  return (internal: InternalContext): SubgraphContext<Loaders> => {
    let em: EntityManager | undefined;
    let loaders: Loaders | undefined;
    const ctx: SubgraphContext<Loaders> = {
      get em() {
        if (!em) {
          em = opts.orm.em.fork();
          if (internal.tenant) scopeToTenant(em, internal.tenant.id);
        }
        return em;
      },
      tenant: internal.tenant,
      user: internal.user,
      ip: internal.ip,
      requestId: internal.requestId ?? requestScope.get()?.requestId ?? 'unknown',
      locale: internal.locale,
      ...(internal.vouches ? { vouches: internal.vouches } : {}),
      get loaders() {
        return (loaders ??= opts.createLoaders ? opts.createLoaders(ctx) : (undefined as Loaders));
      },
    };
    return ctx;
  };
}
