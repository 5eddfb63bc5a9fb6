/**
 * Test fixtures of the facts exports (courses' and billing's facts.test.ts): a stack with the
 * source subgraph only, its route again with pages of 2 rows, a signed reader, and the calls the
 * route must refuse. Not used by the services.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import {
  createInternalContextSigner,
  createInternalContextVerifier,
  INTERNAL_CONTEXT_HEADER,
  type InternalContext,
  type InternalContextSigner,
} from '../platform/auth/internal-context';
import { keySetFromJwks } from '../platform/auth/keys';
import { FACTS_PATH, type Fact } from '../platform/events/facts';
import { readFacts, type FactsRouteOptions } from '../platform/events/facts-stream';
import { createLogger } from '../platform/logger';
import type { SubgraphService } from '../platform/subgraph/host';
import type { TestDialect } from './database';
import { startStack, type Stack, type StackOptions } from './stack';

/** Facts in a stable order, to compare exports as sets. */
export const sortedFacts = (facts: Fact[]): string[] => facts.map((f) => JSON.stringify(f)).sort();

export interface FactsExport {
  /** The stack, with the source subgraph only. */
  stack: Stack;
  service: SubgraphService;
  /** Signs internal contexts as the gateway does (any audience). */
  sign: InternalContextSigner;
  /** The route again with pages of 2 rows, on a server of the test's own, over the same database. */
  smallUrl: string;
  /** Every fact the export at `url` gives (the small route's or the subgraph's), of `school` or of every school. */
  read(url: string, school?: string): Promise<Fact[]>;
  close(): Promise<void>;
}

/** Starts `subgraph` alone and serves its facts `route` again with pages of 2 rows. */
export async function startFactsExport(
  dialect: TestDialect,
  subgraph: string,
  route: (opts: Pick<FactsRouteOptions, 'orm' | 'verify' | 'logger' | 'pageSize'>) => Router,
  options: Pick<StackOptions, 'onQuery'> = {},
): Promise<FactsExport> {
  const stack = await startStack(dialect, {}, { ...options, subgraphs: [subgraph] });
  let small: Server | undefined;
  const close = async () => {
    small?.closeAllConnections();
    await new Promise((resolve) => (small ? small.close(resolve) : resolve(undefined)));
    await stack.stop();
  };
  try {
    const service = stack.service<SubgraphService>(subgraph);
    const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
    const verify = createInternalContextVerifier(JSON.parse(stack.keys.internalPublic), subgraph);
    const app = express().use(route({ orm: service.orm(), verify, logger: createLogger('test', 'silent'), pageSize: 2 }));
    const server = app.listen(0, '127.0.0.1');
    small = server;
    await new Promise((resolve) => server.once('listening', resolve));
    const smallUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const read = async (url: string, school?: string) => {
      const facts: Fact[] = [];
      for await (const fact of readFacts({ url, service: subgraph, sign, school })) facts.push(fact);
      return facts;
    };
    return { stack, service, sign, smallUrl, read, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Expects the small route to give each school of `expected` its facts and nothing else, nothing
 * for a school it does not know, and, without a school, every school's facts, those of `expected`
 * among them; returns that export of every school (for what each source says of its order).
 */
export async function expectSchoolsApart(fx: Pick<FactsExport, 'read' | 'smallUrl'>, expected: Record<string, Fact[]>): Promise<Fact[]> {
  for (const [school, facts] of Object.entries(expected)) {
    const only = await fx.read(fx.smallUrl, school);
    expect(sortedFacts(only)).toEqual(sortedFacts(facts));
    expect(only.every((f) => f.schoolId === school)).toBe(true);
  }
  expect(await fx.read(fx.smallUrl, randomUUID())).toEqual([]);
  const all = await fx.read(fx.smallUrl);
  for (const [school, facts] of Object.entries(expected)) {
    expect(sortedFacts(all.filter((f) => f.schoolId === school))).toEqual(sortedFacts(facts));
  }
  return all;
}

/**
 * Expects the subgraph's GET /internal/facts to refuse, with the status and code of each: a call
 * not signed (401) or signed for `otherAudience` (401); one made for a person or a school,
 * `school` being one (403); and each query of `badQueries` (400).
 */
export async function expectFactsRefusals(
  { stack, sign }: Pick<FactsExport, 'stack' | 'sign'>,
  { subgraph, otherAudience, school, badQueries }: { subgraph: string; otherAudience: string; school: string; badQueries: string[] },
): Promise<void> {
  const url = `${stack.url(subgraph)}${FACTS_PATH}`;
  const call = async (headers: Record<string, string>, query = '') => {
    const res = await fetch(`${url}${query}`, { headers });
    return {
      status: res.status,
      code: ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code,
    };
  };
  const signed = async (ctx: InternalContext, audience = subgraph) => ({ [INTERNAL_CONTEXT_HEADER]: await sign(ctx, audience) });
  expect(await call({})).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  expect(await call(await signed({}, otherAudience))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  const tenant = { id: school, slug: 'a' };
  const forbidden = { status: 403, code: 'FORBIDDEN' };
  expect(await call(await signed({ tenant, user: { id: randomUUID(), roles: ['SCHOOL_ADMIN'] } }))).toEqual(forbidden);
  expect(await call(await signed({ user: { id: randomUUID(), roles: ['PLATFORM_ADMIN'] } }))).toEqual(forbidden);
  expect(await call(await signed({ tenant }))).toEqual(forbidden);
  for (const query of badQueries) expect(await call(await signed({}), query)).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
}
