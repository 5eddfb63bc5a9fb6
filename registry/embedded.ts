import { writeFileSync } from 'node:fs';
import type { Logger } from '../platform/logger';
import type { Transport } from '../platform/transport';
import { createRegistryService, type RegistryService } from './app';
import { embeddedRegistryFiles, RegistryClient } from './client';
import type { SubgraphInput } from './composition/subgraph-input';
import { registryConfigFromEnv } from './env';
import { loadAdminToken } from './token/token.service';

/**
 * The registry inside `npm start`: started on REGISTRY_PORT (default any free port), then the
 * subgraphs of this code base are published to it (unchanged code publishes nothing; a refused
 * publish is logged and the gateway serves the last accepted version). Returns the variables
 * that point the gateway at it. The embedded gateway uses the admin token: one process, one
 * operator. Publishes are verified against the subgraphs this process runs (`running`), as the
 * gateway routes to them there rather than at the committed routing URLs.
 */
export async function startEmbeddedRegistry(
  env: Record<string, string | undefined>,
  transport: Transport,
  /**
   * The code's subgraphs with the committed artifacts' routing URLs: the gateway overrides them
   * with this run's ports, so restarting on new ports is not a new version.
   */
  subgraphs: SubgraphInput[],
  logger: Logger,
  /** Where this process's subgraphs listen, by name (`http://127.0.0.1:<port>/graphql`). */
  running: Record<string, string> = {},
): Promise<{ service: RegistryService; url: string; gatewayEnv: Record<string, string> }> {
  const config = registryConfigFromEnv({ ...env, REGISTRY_PORT: env.REGISTRY_PORT ?? '0', HOST: env.HOST ?? '127.0.0.1' });
  // SUBGRAPH_URLS, when set, wins here as it does for the gateway.
  const service = createRegistryService(
    { ...config, subgraphs: { ...config.subgraphs, urls: { ...running, ...config.subgraphs.urls } } },
    transport,
  );
  const { url } = await service.start();
  try {
    const token = await loadAdminToken(config.adminToken);
    const res = await new RegistryClient(url, token).publish(subgraphs, {
      author: 'npm start',
      message: 'Subgraphs of the code base at start-up',
    });
    if (res.status === 201) logger.info({ version: res.body.version.number }, 'published the current subgraphs to the schema registry');
    else if (res.status !== 200) {
      const problems = [
        ...(res.body.compositionErrors ?? []).map((p: { message: string }) => p.message),
        ...(res.body.breaking ?? []).map((p: { message: string }) => p.message),
        ...(res.body.served ?? [])
          .filter((c: { ok: boolean }) => !c.ok)
          .map(
            (c: { error?: string; differences: Array<{ message: string }> }) => c.error ?? c.differences.map((d) => d.message).join('; '),
          ),
      ];
      logger.warn(
        { status: res.status, problems },
        'the schema registry refused the current subgraphs; the gateway serves its latest version (npm run schema -- check)',
      );
    }
    writeFileSync(embeddedRegistryFiles(config.database.dataDir).discovery, `${JSON.stringify({ url }, null, 2)}\n`);
    return { service, url, gatewayEnv: { REGISTRY_URL: url, REGISTRY_TOKEN: token } };
  } catch (err) {
    await service.stop();
    throw err;
  }
}
