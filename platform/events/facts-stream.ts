import type { ServerResponse } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import {
  INTERNAL_CONTEXT_HEADER,
  type InternalContext,
  type InternalContextSigner,
  type InternalContextVerifier,
} from '../auth/internal-context';
import { scopeToTenant } from '../db/tenant';
import { appError, ErrorCode, errorBody } from '../errors';
import { isUuid } from '../graphql/ids';
import { requireInternalContext } from '../graphql/subgraph-server';
import type { Logger } from '../logger';
import { FACTS_PATH, NDJSON, type Fact, type FactsEnd } from './facts';

/*
 * Both ends of the facts export (facts.ts): the source's route, which streams NDJSON a page at
 * a time, and the reader, which parses it as it arrives and refuses an export it did not see end.
 */

/** Rows per query of a source, and so about the facts held in memory at once. */
export const FACTS_PAGE_SIZE = 1000;

/** One kind of fact of a source subgraph, read a page at a time in id order (keyset paging). */
export interface FactSource<Row extends { id: string } = { id: string }> {
  /**
   * Up to `limit` rows with an id after `after` ('' for the first page), in id order, through
   * `em`: a fresh fork scoped to one school (the tenant filter on), so no page can read another's.
   */
  page(em: EntityManager, after: string, limit: number): Promise<Row[]>;
  /** The page's facts; whatever else they need is read for the whole page at once, never per row. */
  facts(em: EntityManager, rows: Row[]): Fact[] | Promise<Fact[]>;
}

export interface FactsRouteOptions {
  orm: MikroORM;
  verify: InternalContextVerifier;
  logger: Logger;
  /** Every school the source has facts of, for the export of every school (a listing across tenants). */
  schools(): Promise<string[]>;
  sources: FactSource[];
  /** Rows per query of a source. Default FACTS_PAGE_SIZE (1000). */
  pageSize?: number;
}

/**
 * GET /internal/facts[?school=ID]: the source's facts as NDJSON, school after school (in the
 * order `schools` gives), each source in turn, each in id order. Gateway-signed calls only
 * (401 otherwise), and only a service's: a context made for a person's or a school's request
 * is refused (403), as the export crosses what any person may read. `school` must be a UUID (400).
 */
export function factsRoute(opts: FactsRouteOptions): Router {
  const router = Router();
  const pageSize = opts.pageSize ?? FACTS_PAGE_SIZE;
  router.get(FACTS_PATH, requireInternalContext(opts.verify), async (req, res) => {
    const ctx = res.locals.internal as InternalContext;
    if (ctx.user || ctx.tenant) {
      res
        .status(403)
        .json(errorBody(ErrorCode.FORBIDDEN, 'The facts export is for services only, not for a request made for a person or a school'));
      return;
    }
    const school = req.query.school;
    if (school !== undefined && (typeof school !== 'string' || !isUuid(school))) {
      res.status(400).json(errorBody(ErrorCode.BAD_USER_INPUT, 'school must be a school id (UUID)'));
      return;
    }
    const schools = school ? async () => [school.toLowerCase()] : opts.schools;
    await serveFacts(res, exportPages(opts.orm, schools, opts.sources, pageSize), opts.logger);
  });
  return router;
}

async function* exportPages(orm: MikroORM, schools: () => Promise<string[]>, sources: FactSource[], pageSize: number) {
  for (const schoolId of await schools()) {
    for (const source of sources) yield* sourcePages(orm, schoolId, source, pageSize);
  }
}

/** One source's facts of one school; a fresh fork per page, so the identity map never holds more than a page. */
async function* sourcePages(orm: MikroORM, schoolId: string, source: FactSource, pageSize: number): AsyncGenerator<Fact[]> {
  for (let after = ''; ;) {
    const em = scopeToTenant(orm.em.fork(), schoolId);
    const rows = await source.page(em, after, pageSize);
    if (rows.length) yield await source.facts(em, rows);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].id;
  }
}

/**
 * Writes `pages` as NDJSON, waiting for the client whenever the socket's buffer is full, then the
 * closing `{"fact":"end","count":N}`. A failure before the first byte answers 500 (JSON); after it,
 * the response is destroyed without the end line, which is how the reader knows the export was
 * cut. A client that goes away stops the reading of pages.
 */
export async function serveFacts(res: ServerResponse, pages: AsyncIterable<Fact[]>, logger: Logger): Promise<void> {
  let count = 0;
  // Set now, sent with the first write: until then a failure can still answer with a status.
  res.statusCode = 200;
  res.setHeader('content-type', `${NDJSON}; charset=utf-8`);
  res.setHeader('cache-control', 'no-store');
  try {
    for await (const page of pages) {
      if (!page.length) continue;
      count += page.length;
      if (!res.write(page.map(line).join('')) && !(await drained(res))) {
        logger.info({ count }, 'facts export: the reader went away');
        return;
      }
    }
    res.end(line({ fact: 'end', count }));
  } catch (err) {
    logger.error({ err, count }, 'facts export failed; the stream is cut without its end line');
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(errorBody(ErrorCode.INTERNAL_SERVER_ERROR, 'The facts export failed')));
    } else res.destroy();
  }
}

const line = (fact: Fact | FactsEnd) => `${JSON.stringify(fact)}\n`;

/** Resolves true once the response can take more, false when its connection closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

export interface ReadFactsOptions {
  /** The source subgraph's base URL (no path), e.g. http://courses:4002. */
  url: string;
  /** The source subgraph's name: the audience of the signed context, and the service errors name. */
  service: string;
  sign: InternalContextSigner;
  /** One school's facts; default every school's. */
  school?: string;
  /** Longest wait for the answer, then for each next chunk of it (an export of any size may take long in total). Default 30000 ms. */
  timeoutMs?: number;
  /** Default the global fetch. */
  fetch?: typeof fetch;
}

/** Far above any fact; a line longer than this is not an export (a misdirected URL streaming forever). */
const MAX_LINE_CHARS = 1024 * 1024;

/** Retryable: the source could not be reached, failed, or cut its export. */
const unavailable = (service: string, message: string) =>
  appError(ErrorCode.SERVICE_UNAVAILABLE, message, { service, retryAfterSeconds: 30 });

/**
 * The facts of a source subgraph (GET /internal/facts), one at a time as the NDJSON arrives,
 * signed as a service's call (no person, no school; audience = the source). Throws
 * SERVICE_UNAVAILABLE (`service`) when the source cannot be reached, answers 5xx, goes silent
 * for `timeoutMs` or cuts the stream before its end line; a plain Error when it refuses the
 * signature or breaks the format (a bad line, facts after the end, a wrong count). Whatever it
 * yielded before throwing must be discarded: only an export read to its end line is whole.
 */
export async function* readFacts(opts: ReadFactsOptions): AsyncGenerator<Fact> {
  const { service } = opts;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const target = new URL(FACTS_PATH, opts.url);
  if (opts.school) target.searchParams.set('school', opts.school);
  const where = `${service} at ${target.origin}`;
  // One controller for the whole read: the idle timer aborts it, and so does the caller stopping early.
  const abort = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const idle = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
  };
  const why = (err: unknown) => (timedOut ? `nothing came for ${timeoutMs} ms` : reason(err));
  try {
    idle();
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(target, {
        headers: { accept: NDJSON, [INTERNAL_CONTEXT_HEADER]: await opts.sign({}, service) },
        // The source's own address answers the export; a redirect is not it.
        redirect: 'manual',
        signal: abort.signal,
      });
    } catch (err) {
      throw unavailable(service, `could not reach ${where}: ${why(err)}`);
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 500) throw unavailable(service, `${where} answered HTTP ${res.status} to the facts export`);
    if (res.status === 401 || res.status === 403)
      throw new Error(`${where} refused the facts export's signed context (HTTP ${res.status}): is the signing key the gateway's?`);
    if (res.status !== 200) throw new Error(`${where} answered HTTP ${res.status} to the facts export`);
    if (!res.headers.get('content-type')?.startsWith(NDJSON) || !res.body)
      throw new Error(`${where} did not answer the facts export as ${NDJSON}`);

    const lines = new FactLines(where);
    const reader = res.body.getReader();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      // Only the source's silence counts: not the time the caller takes over what it was given.
      idle();
      try {
        chunk = await reader.read();
      } catch (err) {
        throw unavailable(service, `${where} cut its facts export after ${lines.count} facts: ${why(err)}`);
      } finally {
        clearTimeout(timer);
      }
      if (chunk.done) break;
      for (const fact of lines.push(chunk.value)) yield fact;
    }
    const end = lines.close();
    if (!end) throw unavailable(service, `${where} ended its facts export after ${lines.count} facts without the end line: it was cut`);
    if (end.count !== lines.count) throw new Error(`${where} ended its facts export saying ${end.count} facts, but sent ${lines.count}`);
  } finally {
    clearTimeout(timer);
    // A caller that stopped early (or an error above) leaves the body unread: this closes the connection.
    abort.abort();
  }
}

/** NDJSON of an export, parsed as its bytes arrive: only the unfinished last line is held. */
class FactLines {
  private readonly decoder = new TextDecoder();
  private pending = '';
  private end: FactsEnd | undefined;
  /** Facts parsed so far. */
  count = 0;

  constructor(private readonly where: string) {}

  /** The facts completed by `bytes`. */
  push(bytes: Uint8Array): Fact[] {
    const lines = (this.pending + this.decoder.decode(bytes, { stream: true })).split('\n');
    this.pending = lines.pop()!;
    if (this.pending.length > MAX_LINE_CHARS) throw new Error(`${this.where} sent a line longer than any fact`);
    return lines.map((text) => this.parse(text)).filter((fact): fact is Fact => fact !== undefined);
  }

  /** At the end of the body: its end line, if it had one. */
  close(): FactsEnd | undefined {
    this.parse(this.pending + this.decoder.decode());
    return this.end;
  }

  private parse(text: string): Fact | undefined {
    if (!text.trim()) return undefined;
    if (this.end) throw new Error(`${this.where} sent more after the end line of its facts export`);
    let value: { fact?: unknown };
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`${this.where} sent a line of its facts export that is not JSON (after ${this.count} facts)`);
    }
    if (typeof value?.fact !== 'string')
      throw new Error(`${this.where} sent a line of its facts export that is not a fact (after ${this.count} facts)`);
    if (value.fact === 'end') {
      this.end = value as FactsEnd;
      return undefined;
    }
    this.count++;
    return value as Fact;
  }
}

/** Why a network failure happened, in the words an operator searches for (ECONNREFUSED, ENOTFOUND, …). */
function reason(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
