import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../platform/logger';
import { UsageReporter } from './usage-reporter';

/** A registry stand-in that records report bodies and answers with the next status of `answers` (then 202). */
async function collector(answers: number[]) {
  const bodies: Array<{ operations: Array<{ id: string; client: string; count: number; fields: string[] }> }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const status = answers.shift() ?? 202;
      if (status === 202) bodies.push(JSON.parse(body));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, close: () => new Promise((r) => server.close(r)) };
}

describe('UsageReporter', () => {
  const logger = createLogger('test', 'silent');

  it('sends one row per operation and client with a count, and keeps a refused report for the next one', async () => {
    const registry = await collector([503]);
    // A long interval: the test flushes by hand.
    const reporter = new UsageReporter({ url: registry.url, token: 't', flushIntervalMs: 3_600_000 }, logger);
    let computed = 0;
    const op = (id: string, client: string) => ({ id, name: `Op${id}`, client, fields: () => (computed++, ['Query', `Query.${id}`]) });
    for (let i = 0; i < 3; i++) reporter.record(op('a', 'app'));
    reporter.record(op('a', 'web'));
    await reporter.flush(); // refused with 503: kept
    reporter.record(op('a', 'app'));
    reporter.record(op('b', 'app'));
    await reporter.stop();
    await registry.close();

    expect(registry.bodies).toHaveLength(1);
    expect(registry.bodies[0].operations).toEqual([
      { id: 'a', name: 'Opa', client: 'app', count: 4, fields: ['Query', 'Query.a'] },
      { id: 'a', name: 'Opa', client: 'web', count: 1, fields: ['Query', 'Query.a'] },
      { id: 'b', name: 'Opb', client: 'app', count: 1, fields: ['Query', 'Query.b'] },
    ]);
    expect(computed).toBe(3); // once per operation and client while it is pending, not per request
  });
});
