/**
 * The second peer of bench/gateway-queries.ts: Hive Gateway (`@graphql-hive/gateway-runtime`, the
 * engine behind the `hive-gateway` CLI) in one process (no fork), on node:http, with none of our
 * edge duties. Like bench/plain-gateway.ts it attaches one pre-signed internal context per
 * subgraph (fixed tenant and user from env), re-signed every 30 s.
 *
 * HIVE_DEDUP=1 keeps Hive's upstream in-flight deduplication (its default: identical subgraph
 * requests in flight share one fetch); otherwise it is turned off for every subgraph.
 */
import 'reflect-metadata';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER, type InternalContext } from '../platform/auth/internal-context';
import { keySetFromJwks } from '../platform/auth/keys';

/**
 * The little of `@graphql-hive/gateway-runtime` used here. Its declarations pull in a newer
 * @types/node of their own, whose globals clash with the project's, so the module is loaded by a
 * specifier the compiler does not follow and typed by hand.
 */
interface HiveRuntimeModule {
  createGatewayRuntime(config: Record<string, unknown>): RequestListener & { dispose(): Promise<void> | void };
}
interface FetchHookPayload {
  url: string;
  options: { headers?: Record<string, string> } & Record<string, unknown>;
  setOptions(options: FetchHookPayload['options']): void;
}
const HIVE_RUNTIME = '@graphql-hive/gateway-runtime';

async function main() {
  const { createGatewayRuntime } = (await import(HIVE_RUNTIME)) as HiveRuntimeModule;
  const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(process.env.INTERNAL_SIGNING_KEYS!)));
  const identity = JSON.parse(process.env.BENCH_CONTEXT!) as InternalContext;
  const urls = Object.fromEntries(process.env.SUBGRAPH_URLS!.split(',').map((p) => p.split('='))) as Record<string, string>;
  const dedup = process.env.HIVE_DEDUP === '1';
  /** Signed context by subgraph URL (what onFetch sees). */
  const tokens = new Map<string, string>();
  const refresh = async () => {
    for (const [name, url] of Object.entries(urls)) tokens.set(url, await sign(identity, name));
  };
  await refresh();
  setInterval(refresh, 30_000).unref();

  const signedContext = {
    onFetch({ url, options, setOptions }: FetchHookPayload) {
      const token = tokens.get(url);
      if (token) setOptions({ ...options, headers: { ...options.headers, [INTERNAL_CONTEXT_HEADER]: token } });
    },
  };
  const runtime = createGatewayRuntime({
    supergraph: process.env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql',
    // Routing URLs of this run's subgraph processes, and Hive's upstream dedup on or off.
    transportEntries: Object.fromEntries(
      Object.entries(urls).map(([name, location]) => [name, { location, options: { deduplicateInflightRequests: dedup } }]),
    ),
    plugins: () => [signedContext],
    logging: 'error',
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  console.log(`hive gateway listening http://127.0.0.1:${port}/graphql (upstream dedup ${dedup ? 'on' : 'off'})`);
  const stop = () => void Promise.resolve(runtime.dispose()).finally(() => server.close(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
