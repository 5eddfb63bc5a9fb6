/**
 * `npm start`: the whole platform in one process. With nothing configured it is the embedded
 * mode (SQLite files under data/, in-process bus and broker, demo data seeded on first start);
 * with DATABASE_URL, REDIS_URL and AMQP_URL set the same services use MySQL, Redis and RabbitMQ.
 * Subgraphs listen on free loopback ports unless <NAME>_PORT is set; the gateway on PORT (4000).
 */
import 'reflect-metadata';
import { loadSigningKeys } from '../platform/auth/keys';
import { createLogger } from '../platform/logger';
import { createTransport } from '../platform/transport';
import type { Service } from '../platform/service';
import { startTracing, tracingConfigFromEnv } from '../platform/tracing/tracing';
import { gatewayConfigFromEnv } from '../gateway/env';
import { createGatewayService } from '../gateway/app';
import { startEmbeddedRegistry } from '../registry/embedded';
import { subgraphs } from '../subgraphs/catalog';
import { codeSubgraphs } from './schema-artifacts';
import { describeDeliveries } from '../subgraphs/messaging/channels/channels';
import { messagingConfigFromEnv } from '../subgraphs/messaging/env';
import { describeBackends } from './start-banner';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

async function main() {
  const logger = createLogger('platform');
  const env = process.env;
  const started: Service[] = [];
  // One tracer provider for every service of the process (off unless an OTLP endpoint is set).
  const tracing = startTracing(tracingConfigFromEnv('el-manassa', env), logger);

  // The gateway's internal-context key must exist before subgraphs read its public half.
  const gatewayConfig = gatewayConfigFromEnv(env);
  await loadSigningKeys(gatewayConfig.internalKeys.json, gatewayConfig.internalKeys.file);

  // One bus and broker for the whole process: in-process adapters only reach their own instance.
  const transport = createTransport({
    redisUrl: gatewayConfig.redisUrl,
    amqpUrl: gatewayConfig.amqpUrl,
    redisPrefix: gatewayConfig.redisPrefix,
    name: 'platform',
    logger,
  });
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop().catch((err) => logger.error({ err, service: s.name }, 'stop failed'));
    await transport.close();
    await tracing?.shutdown();
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      void stopAll().then(() => process.exit(0));
    });
  }
  const urls: Record<string, string> = {};
  for (const sg of subgraphs) {
    const portVar = `${sg.name.toUpperCase()}_PORT`;
    // Those started before it (analytics reads courses' and billing's facts exports at its first start).
    const earlier = Object.entries(urls)
      .map(([name, url]) => `${name}=${url}`)
      .join(',');
    const service = sg.create(
      { ...env, [portVar]: env[portVar] ?? '0', HOST: env.HOST ?? '127.0.0.1', SUBGRAPH_URLS: env.SUBGRAPH_URLS ?? earlier },
      transport,
    );
    const { url } = await service.start();
    started.push(service);
    urls[sg.name] = `${url}/graphql`;
  }
  // Schema registry: the one REGISTRY_URL names, else one in this process holding the current
  // subgraphs. If that cannot start, the gateway falls back to the committed supergraph file.
  let gatewayEnv = env;
  let registryUrl = gatewayConfig.registry?.url;
  if (!registryUrl) {
    const registry = await codeSubgraphs()
      .then((current) => startEmbeddedRegistry(env, transport, current, logger, urls))
      .catch((err) => {
        logger.error({ err }, 'schema registry did not start; the gateway serves the supergraph file');
        return undefined;
      });
    if (registry) {
      started.push(registry.service);
      gatewayEnv = { ...env, ...registry.gatewayEnv };
      registryUrl = registry.url;
    }
  }
  const gatewayOptions = gatewayConfigFromEnv(gatewayEnv);
  const gateway = createGatewayService({ ...gatewayOptions, subgraphUrls: { ...urls, ...gatewayOptions.subgraphUrls } }, transport);
  const { port } = await gateway.start();
  started.push(gateway);

  const endpoint = `http://localhost:${port}/graphql`;
  // From the parsed configuration the transport was built with, so the banner names the bus in use.
  const mode = describeBackends({ ...env, REDIS_URL: gatewayConfig.redisUrl, AMQP_URL: gatewayConfig.amqpUrl });
  process.stdout.write(
    [
      '',
      `El-Manassa is up: ${endpoint}  [${mode}]`,
      ...Object.entries(urls).map(([name, url]) => `  subgraph ${name.padEnd(10)} ${url}`),
      ...(registryUrl ? [`  schema registry     ${registryUrl}  (npm run schema -- history)`] : []),
      // Embedded mode sends nothing out unless a provider is configured: say where messages went.
      '  messages:',
      ...Object.entries(describeDeliveries(messagingConfigFromEnv(env))).map(([channel, where]) => `    ${channel.padEnd(9)} ${where}`),
      '',
      'Try:',
      `  curl -s ${endpoint} -H 'content-type: application/json' -H 'x-tenant-id: demo' \\`,
      `    --data '{"query":"{ school { name } }"}'`,
      `  curl -s ${endpoint} -H 'content-type: application/json' -H 'x-tenant-id: demo' \\`,
      `    --data '{"query":"mutation { login(email: \\"teacher@demo.test\\", password: \\"manassa-demo\\") { accessToken user { displayName } } }"}'`,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err) => {
  console.error('failed to start:', err);
  process.exit(1);
});
