import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * Where the real services of the test machine are; each can be overridden by env so the suite
 * runs against other hosts (CI, a developer's own ports).
 */
export const testServices = {
  mysqlUrl: process.env.TEST_DATABASE_URL ?? 'mariadb://root@127.0.0.1:3306',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  amqpUrl: process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};

/** A name no other test file (or parallel run) uses: databases, queues, stream keys. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** A free TCP port on loopback: for a server the test starts itself, or one nothing listens on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
