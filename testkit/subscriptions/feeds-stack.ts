import { printSubgraphSdl } from '../../platform/graphql/federation';
import { startStack, type Stack } from '../stack';
import { testServices, uniqueName } from '../services';
import { users } from '../../subgraphs/users/features';
import { feedsSdl, startFeedsSubgraph, type FeedsSubgraph } from './feeds-subgraph';
import { tempSupergraphFile } from './supergraph-file';
import { tokenIssuer, type TokenClaims } from './tokens';
import { wsUrlOf } from './ws-clients';

export interface FeedsStack {
  stack: Stack;
  feeds: FeedsSubgraph;
  wsUrl: string;
  gatewayBase: string;
  redisUrl: string;
  redisPrefix: string;
  /** Composes users + feeds (at `feedsUrl`, default the running one), with their SDL edited if given, and writes it for the gateway. */
  writeSupergraph(opts?: { feedsUrl?: string; usersSdl?: string; feedsSdl?: string }): void;
  usersSdl: string;
  /** An access token as the users subgraph would issue it (the user need not exist). */
  token(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The users subgraph and the gateway (startStack on MariaDB and the real Redis, or `redisUrl`)
 * plus the test-only feeds subgraph, composed into the supergraph file the gateway reads. The
 * feeds' streams and the gateway's limiter keys live under this stack's Redis prefix, which
 * the stack deletes when it stops.
 */
export async function startFeedsStack(opts: { redisUrl?: string; env?: Record<string, string> } = {}): Promise<FeedsStack> {
  const redisUrl = opts.redisUrl ?? testServices.redisUrl;
  const redisPrefix = `${uniqueName('subs')}:`;
  const supergraph = tempSupergraphFile('subscriptions-');
  // The gateway's keys exist once the stack starts, after the supergraph naming the feeds subgraph is written.
  const gatewayKeys: { internalPublic?: string } = {};
  const feeds = await startFeedsSubgraph({ redisUrl, redisPrefix, internalJwks: () => gatewayKeys.internalPublic! });
  const usersSdl = printSubgraphSdl(await users.buildSchema());
  const writeSupergraph = (o: { feedsUrl?: string; usersSdl?: string; feedsSdl?: string } = {}) =>
    supergraph.write([
      // startStack points the gateway at the real users URL (SUBGRAPH_URLS); this one is never used.
      { name: 'users', sdl: o.usersSdl ?? usersSdl, url: 'http://127.0.0.1:9/graphql' },
      { name: 'feeds', sdl: o.feedsSdl ?? feedsSdl(), url: o.feedsUrl ?? feeds.url },
    ]);
  writeSupergraph();
  const stack = await startStack(
    'mysql',
    { SUPERGRAPH_PATH: supergraph.file, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisPrefix, ...opts.env },
    { subgraphs: ['users'] },
  );
  gatewayKeys.internalPublic = stack.keys.internalPublic;
  const token = await tokenIssuer(stack);
  return {
    stack,
    feeds,
    wsUrl: wsUrlOf(stack.gatewayUrl),
    gatewayBase: stack.gatewayUrl.replace(/\/graphql$/, ''),
    redisUrl,
    redisPrefix,
    writeSupergraph,
    usersSdl,
    token,
    async stop() {
      await stack.stop();
      await feeds.close();
      supergraph.remove();
    },
  };
}
