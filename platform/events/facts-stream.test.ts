import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../testkit/services';
import { createInternalContextSigner, createInternalContextVerifier, INTERNAL_CONTEXT_HEADER } from '../auth/internal-context';
import { generatePrivateJwk, keySetFromJwks, publicJwk } from '../auth/keys';
import { createLogger } from '../logger';
import { FACTS_PATH, NDJSON, type CourseFact, type Fact } from './facts';
import { readFacts, serveFacts } from './facts-stream';

const logger = createLogger('test', 'silent');
const school = '11111111-1111-4111-8111-111111111111';
const course = (i: number): CourseFact => ({
  fact: 'course',
  schoolId: school,
  courseId: `c-${i}`,
  teacherId: 't',
  title: `Course ${i}`,
  status: 'PUBLISHED',
  deleted: false,
});
const ndjson = (...values: unknown[]) => values.map((v) => `${JSON.stringify(v)}\n`).join('');
/** Pages of `size` course facts, numbered from 0 across pages. */
async function* pages(count: number, size: number, after?: (page: number) => void): AsyncGenerator<Fact[]> {
  for (let p = 0; p < count; p++) {
    yield Array.from({ length: size }, (_, i) => course(p * size + i));
    after?.(p + 1);
  }
}
const readAll = async (iterable: AsyncIterable<Fact>) => {
  const facts: Fact[] = [];
  for await (const fact of iterable) facts.push(fact);
  return facts;
};

/** The source's end of the export on a local server; each test says how it answers. */
describe('facts stream: serveFacts and readFacts', () => {
  let server: http.Server;
  let url: string;
  let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;
  let sign: ReturnType<typeof createInternalContextSigner>;
  let verify: ReturnType<typeof createInternalContextVerifier>;
  beforeAll(async () => {
    const jwk = await generatePrivateJwk();
    sign = createInternalContextSigner(await keySetFromJwks({ keys: [jwk] }));
    verify = createInternalContextVerifier({ keys: [publicJwk(jwk)] }, 'courses');
    server = http.createServer((req, res) => void answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const read = (extra: Partial<Parameters<typeof readFacts>[0]> = {}) => readFacts({ url, service: 'courses', sign, ...extra });

  it('streams every fact with the end line, to a reader signed for the source as a service', async () => {
    let seen: { path?: string; context?: unknown } = {};
    answer = async (req, res) => {
      seen = { path: req.url, context: await verify(req.headers[INTERNAL_CONTEXT_HEADER] as string) };
      await serveFacts(res, pages(3, 2), logger);
    };
    const facts = await readAll(read({ school }));
    expect(facts).toEqual([0, 1, 2, 3, 4, 5].map(course));
    expect(seen.path).toBe(`${FACTS_PATH}?school=${school}`);
    expect(seen.context).toMatchObject({ user: undefined, tenant: undefined });

    answer = (_req, res) => serveFacts(res, pages(3, 2), logger);
    const res = await fetch(`${url}${FACTS_PATH}`);
    expect(res.headers.get('content-type')).toBe(`${NDJSON}; charset=utf-8`);
    expect(await res.text()).toBe(ndjson(...[0, 1, 2, 3, 4, 5].map(course), { fact: 'end', count: 6 }));
  });

  it('streams an empty export as its end line alone', async () => {
    answer = (_req, res) => serveFacts(res, pages(0, 0), logger);
    expect(await readAll(read())).toEqual([]);
  });

  it('refuses a stream without its end line, whether it ends cleanly or is cut', async () => {
    answer = (_req, res) => {
      res.setHeader('content-type', NDJSON);
      res.end(ndjson(course(0), course(1)));
    };
    await expect(readAll(read())).rejects.toMatchObject({
      message: expect.stringContaining('after 2 facts without the end line'),
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'courses' },
    });

    // The source fails mid-stream: serveFacts destroys the response rather than end it.
    answer = (_req, res) =>
      serveFacts(
        res,
        (async function* () {
          yield* pages(2, 3);
          throw new Error('database went away');
        })(),
        logger,
      );
    const got: Fact[] = [];
    const reading = (async () => {
      for await (const fact of read()) got.push(fact);
    })();
    await expect(reading).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'courses' } });
    expect(got.length).toBeLessThanOrEqual(6);
  });

  it('answers 500 without a stream when the source fails before its first fact', async () => {
    answer = (_req, res) =>
      serveFacts(res, { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('no database')) }) }, logger);
    const res = await fetch(`${url}${FACTS_PATH}`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ errors: [{ message: 'The facts export failed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    await expect(readAll(read())).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'courses' } });
  });

  it('refuses an end line whose count differs from the facts sent, and anything after it', async () => {
    answer = (_req, res) => {
      res.setHeader('content-type', NDJSON);
      res.end(ndjson(course(0), { fact: 'end', count: 2 }));
    };
    await expect(readAll(read())).rejects.toThrow('saying 2 facts, but sent 1');
    answer = (_req, res) => {
      res.setHeader('content-type', NDJSON);
      res.end(ndjson(course(0), { fact: 'end', count: 1 }, course(1)));
    };
    await expect(readAll(read())).rejects.toThrow('more after the end line');
    answer = (_req, res) => {
      res.setHeader('content-type', NDJSON);
      res.end(`${JSON.stringify(course(0))}\n{"fact":\n`);
    };
    await expect(readAll(read())).rejects.toThrow('not JSON (after 1 facts)');
  });

  it('says SERVICE_UNAVAILABLE, naming the source, when it cannot be reached, answers 5xx or goes silent', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    await expect(readAll(read({ url: nowhere }))).rejects.toMatchObject({
      message: expect.stringContaining('could not reach courses'),
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'courses' },
    });
    answer = (_req, res) => {
      res.statusCode = 503;
      res.end('{}');
    };
    await expect(readAll(read())).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'courses' } });
    answer = (_req, res) => {
      res.setHeader('content-type', NDJSON);
      res.write(ndjson(course(0)));
    };
    await expect(readAll(read({ timeoutMs: 200 }))).rejects.toMatchObject({
      message: expect.stringContaining('nothing came for 200 ms'),
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'courses' },
    });
  });

  it('reports a refused signature and a wrong answer as such, not as a facts stream', async () => {
    answer = (_req, res) => {
      res.statusCode = 401;
      res.end('{}');
    };
    await expect(readAll(read())).rejects.toThrow('refused the facts export');
    answer = (_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<html>');
    };
    await expect(readAll(read())).rejects.toThrow(`did not answer the facts export as ${NDJSON}`);
  });

  it('reads a large export as it arrives, and the source writes only as fast as the reader takes it', async () => {
    const total = 400;
    const size = 1000;
    let produced = 0;
    let finished = false;
    answer = async (_req, res) => {
      await serveFacts(
        res,
        pages(total, size, (p) => (produced = p)),
        logger,
      );
      finished = true;
    };
    const iterator = read()[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual(course(0));
    // The reader holds still: the source's writes fill the socket and it waits for 'drain'.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finished).toBe(false);
    expect(produced).toBeLessThan(total / 2);
    let count = 1;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if ((next.value as CourseFact).courseId !== `c-${count}`) throw new Error(`fact ${count} out of order`);
      count++;
    }
    expect(count).toBe(total * size);
    expect(produced).toBe(total);
  });

  it('stops the source when the reader stops early', async () => {
    let produced = 0;
    let served: Promise<void> | undefined;
    answer = (_req, res) => {
      served = serveFacts(
        res,
        pages(1000, 1000, (p) => (produced = p)),
        logger,
      );
    };
    for await (const fact of read()) if (fact) break;
    await served;
    expect(produced).toBeLessThan(1000);
  });
});
