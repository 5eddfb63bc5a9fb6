/**
 * The baseline for bench/gateway-queries.ts: a bare `@apollo/gateway` behind `@apollo/server`'s
 * standalone server, with none of our edge duties (no tenant lookup, no JWT check, no limits,
 * no armor). Our subgraphs accept only gateway-signed calls, so it attaches one pre-signed
 * context (fixed tenant and user from env), re-signed every 30 s: the least a gateway must do.
 */
import 'reflect-metadata';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER, type InternalContext } from '../platform/auth/internal-context';
import { keySetFromJwks } from '../platform/auth/keys';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

async function main() {
  const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(process.env.INTERNAL_SIGNING_KEYS!)));
  const identity = JSON.parse(process.env.BENCH_CONTEXT!) as InternalContext;
  const urls = Object.fromEntries(process.env.SUBGRAPH_URLS!.split(',').map((p) => p.split('=')));
  const tokens = new Map<string, string>();
  const refresh = async () => {
    for (const name of Object.keys(urls)) tokens.set(name, await sign(identity, name));
  };
  await refresh();
  setInterval(refresh, 30_000).unref();
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql', 'utf8'),
    buildService: ({ name }) =>
      new RemoteGraphQLDataSource({
        url: urls[name],
        willSendRequest: ({ request }) => void request.http?.headers.set(INTERNAL_CONTEXT_HEADER, tokens.get(name)!),
      }),
  });
  const server = new ApolloServer({ gateway, stopOnTerminationSignals: true });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 0), host: '127.0.0.1' } });
  console.log(`plain gateway listening ${url}`);
}

void main();
