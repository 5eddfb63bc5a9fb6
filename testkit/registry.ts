import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createTransport, type Transport } from '../platform/transport';
import { deleteRabbitQueues } from './cleanup';
import { testDatabase, type TestDialect } from './database';
import { testKeys } from './keys';
import { testServices, uniqueName } from './services';
import { createRegistryService, type RegistryService } from '../registry/app';
import { RegistryClient } from '../registry/client';
import { registryConfigFromEnv } from '../registry/env';
import type { Resolve } from '../registry/webhook/target-policy';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../registry/webhook/signature';

/** Retry delays tests use, so a failed webhook is retried at once. */
export const TEST_RETRY_DELAYS_MS = [50, 100];

export interface TestRegistry {
  url: string;
  service: RegistryService;
  /** The broker the registry delivers webhooks through (to inspect dead letters). */
  transport: Transport;
  /** The webhook queue. */
  queue: string;
  /** Client with the admin token. */
  admin: RegistryClient;
  /** A client with a fresh token of these scopes (and this name). */
  clientWith(scopes: string[], name?: string): Promise<RegistryClient>;
  stop(): Promise<void>;
}

/**
 * A registry in this process on a free port with its own database: MariaDB and RabbitMQ (a
 * queue of its own, deleted afterwards) for 'mysql', SQLite and the in-process broker for
 * 'sqlite'. It signs subgraph calls with a fresh internal-context key unless `env` gives
 * INTERNAL_SIGNING_KEYS (a stack's `keys.internal`, to verify publishes against its running
 * subgraphs). `resolve` fixes what webhook host names resolve to. `stop()` releases everything.
 */
export async function startTestRegistry(dialect: TestDialect, env: Record<string, string> = {}, resolve?: Resolve): Promise<TestRegistry> {
  const db = testDatabase(dialect, 'registry');
  const adminToken = `mreg_${uniqueName('admin').padEnd(40, 'x')}`;
  const queue = uniqueName('registry_webhooks');
  const config = registryConfigFromEnv({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    REGISTRY_PORT: '0',
    REGISTRY_ADMIN_TOKEN: adminToken,
    REGISTRY_WEBHOOK_QUEUE: queue,
    REGISTRY_WEBHOOK_RETRY_DELAYS_MS: TEST_RETRY_DELAYS_MS.join(','),
    // Never the repository's data/keys: a key of this registry's own.
    INTERNAL_SIGNING_KEYS: (await testKeys()).internal,
    // The retention job runs when a test asks (service.pruner().runOnce()).
    PRUNE_INTERVAL_MINUTES: '0',
    ...db.env,
    ...(dialect === 'mysql' ? { AMQP_URL: testServices.amqpUrl } : {}),
    ...env,
  });
  const transport = createTransport({ amqpUrl: config.amqpUrl, name: 'registry-test' });
  const service = createRegistryService({ ...config, database: { ...config.database, ...db.options } }, transport, resolve);
  const { url } = await service.start();
  const admin = new RegistryClient(url, adminToken);
  return {
    url,
    service,
    transport,
    queue,
    admin,
    async clientWith(scopes, name = uniqueName('token')) {
      const res = await admin.createToken(name, scopes);
      if (res.status !== 201) throw new Error(`token not created: ${JSON.stringify(res.body)}`);
      return new RegistryClient(url, res.body.token);
    },
    async stop() {
      await service.stop(); // a no-op when the test already stopped it
      await transport.close();
      // The webhook queue and the retry and dead-letter queues the broker made for it.
      if (dialect === 'mysql') await deleteRabbitQueues([queue], TEST_RETRY_DELAYS_MS);
      await db.drop();
    },
  };
}

export interface PartnerEndpoint {
  url: string;
  /** Every notice received, in order. */
  received: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** True when a notice a partner endpoint received carries a valid signature for `secret`. */
export function isSignedNotice(secret: string, notice: PartnerEndpoint['received'][number]): boolean {
  return verifySignature(
    secret,
    { signature: notice.headers[SIGNATURE_HEADER] as string, timestamp: notice.headers[TIMESTAMP_HEADER] as string },
    notice.body,
  );
}

/** A partner's webhook endpoint on a free port: records every notice and answers with the next status of `answers` (then 200). */
export async function partnerEndpoint(answers: number[] = []): Promise<PartnerEndpoint> {
  const received: PartnerEndpoint['received'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/manassa`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs the compiled CLI (`npm run build` first) as CI would; resolves with its exit code and output. */
export function runSchemaCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = path.resolve(__dirname, '..');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'dist', 'scripts', 'schema-cli.js'), ...args],
      { cwd: root, env: { PATH: process.env.PATH, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
