import express from 'express';
import { request } from '../testkit/graphql-client';
import { metricSamples } from '../testkit/metrics';
import { createHttpApp, listen, type RunningServer } from './http';
import { createLogger } from './logger';
import { createMetrics } from './metrics';

/** Request metrics are labelled by route as the service mounted it, not by the path a router saw. */
describe('http_request_duration_seconds', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const app = createHttpApp({
      name: 'http-test',
      logger: createLogger('http-test', 'silent'),
      metrics: createMetrics('http-test'),
      ready: async () => true,
    });
    // As the gateway and every subgraph mount GraphQL (Apollo's expressMiddleware): no route of its own.
    app.use('/graphql', (_req, res) => void res.json({ data: {} }));
    // A router's routes, under its mount path.
    const router = express.Router();
    router.get('/:id', (_req, res) => void res.json({}));
    router.get('/', (_req, res) => void res.json([]));
    app.use('/courses', router);
    server = await listen(app, 0, '127.0.0.1');
  });
  afterAll(() => server.close());

  it('labels POST /graphql as /graphql, routes by their pattern under their mount path, the rest as other', async () => {
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' };
    expect((await request(`${server.url}/graphql`, post)).status).toBe(200);
    expect((await request(`${server.url}/graphql?op=x`, post)).status).toBe(200);
    await request(`${server.url}/courses/c1`, { method: 'GET' });
    await request(`${server.url}/courses/`, { method: 'GET' });
    await request(`${server.url}/healthz`, { method: 'GET' });
    await request(`${server.url}/nowhere`, { method: 'GET' });
    await request(`${server.url}/graphqlx`, { method: 'POST' });

    const samples = await metricSamples(server.url, 'http_request_duration_seconds_count');
    const counts = Object.fromEntries(samples.map((s) => [`${s.labels.method} ${s.labels.route} ${s.labels.status}`, s.value]));
    expect(counts).toEqual({
      'POST /graphql 200': 2,
      'GET /courses/:id 200': 1,
      'GET /courses 200': 1,
      'GET /healthz 200': 1,
      'GET other 404': 1,
      'POST other 404': 1,
    });
  });
});
