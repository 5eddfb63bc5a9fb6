import cors from 'cors';
import express, { type RequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import { request } from '../../testkit/graphql-client';
import { graphqlCors } from './cors';

/** The shortcut for requests without Origin answers exactly the headers `cors` itself would. */
describe('graphqlCors', () => {
  const origins = ['https://app.manassa.eg', 'http://localhost:5173'];
  const serve = async (middleware: RequestHandler) => {
    const app = express();
    app.use('/graphql', middleware, (_req, res) => void res.json({ ok: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, close: () => server.close() };
  };
  const corsHeaders = (headers: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('access-control-') || k === 'vary'));

  it.each([
    ['POST without Origin', 'POST', {}],
    ['GET without Origin', 'GET', {}],
    ['POST from an allowed origin', 'POST', { origin: 'https://app.manassa.eg' }],
    ['POST from another origin', 'POST', { origin: 'https://evil.example' }],
    ['a preflight from an allowed origin', 'OPTIONS', { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' }],
    ['a preflight from another origin', 'OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'POST' }],
    ['OPTIONS without Origin', 'OPTIONS', {}],
  ])('%s', async (_name, method, headers: Record<string, string>) => {
    const ours = await serve(graphqlCors(origins));
    const reference = await serve(cors({ origin: origins, credentials: false, maxAge: 600 }));
    try {
      const [a, b] = await Promise.all([ours, reference].map((s) => request(s.url, { method, headers })));
      expect(a.status).toBe(b.status);
      expect(corsHeaders(a.headers)).toEqual(corsHeaders(b.headers));
    } finally {
      ours.close();
      reference.close();
    }
  });
});
