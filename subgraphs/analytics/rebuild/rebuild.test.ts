import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/core';
import { createInternalContextSigner } from '../../../platform/auth/internal-context';
import { keySetFromJwks } from '../../../platform/auth/keys';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { Fact } from '../../../platform/events/facts';
import { createLogger } from '../../../platform/logger';
import { testDatabase } from '../../../testkit/database';
import { testKeys } from '../../../testkit/keys';
import { CourseStats } from '../course/course-stats.entity';
import { analyticsDatabase } from '../database';
import { EnrollmentFact } from '../enrollment/enrollment-fact.entity';
import { rebuildAggregates } from './rebuild';

/**
 * A rebuild whose source fails: stopped, or cutting its export half-way. The rebuild stops with
 * SERVICE_UNAVAILABLE naming the source; what it applied before is true as of the export and stays;
 * run again once the source is back, it completes the aggregates.
 */
const SCHOOL = randomUUID();
const COURSE = randomUUID();
const STUDENTS = 1200;
const logger = createLogger('rebuild-test');

const facts: Fact[] = [
  { fact: 'course', schoolId: SCHOOL, courseId: COURSE, teacherId: randomUUID(), title: 'Algebra', status: 'PUBLISHED', deleted: false },
  ...Array.from({ length: STUDENTS }, (_, i): Fact => ({
    fact: 'enrollment',
    schoolId: SCHOOL,
    enrollmentId: randomUUID(),
    courseId: COURSE,
    studentId: randomUUID(),
    enrolledAt: new Date().toISOString(),
    state: 'ACTIVE',
    progress: i % 2 ? 1 : 0,
  })),
];

/** A stand-in source: every fact and the end line, or (cutAfter) that many facts and a dropped connection. */
function source(opts: { cutAfter?: number } = {}) {
  return createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const sent = facts.slice(0, opts.cutAfter ?? facts.length);
    res.write(sent.map((f) => JSON.stringify(f)).join('\n') + '\n');
    // Dropped a moment later: what was sent has reached the reader by then.
    if (opts.cutAfter !== undefined) return void setTimeout(() => res.destroy(), 300);
    res.end(JSON.stringify({ fact: 'end', count: sent.length }) + '\n');
  });
}
const emptySource = () =>
  createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.end(JSON.stringify({ fact: 'end', count: 0 }) + '\n');
  });

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe.each(['sqlite', 'mysql'] as const)('rebuild with a failing source (%s)', (dialect) => {
  let db: ReturnType<typeof testDatabase>;
  let orm: MikroORM;
  let billing: Server;
  let billingUrl: string;
  let sign: ReturnType<typeof createInternalContextSigner>;

  beforeAll(async () => {
    db = testDatabase(dialect, 'analytics');
    orm = await openDatabase({ ...analyticsDatabase, ...db.options });
    sign = createInternalContextSigner(await keySetFromJwks(JSON.parse((await testKeys()).internal)));
    billing = emptySource();
    billingUrl = await listen(billing);
  });
  afterAll(async () => {
    await close(billing);
    await orm.close();
    await db.drop();
  });

  const enrollments = () => scopeToTenant(orm.em.fork(), SCHOOL).count(EnrollmentFact, {});
  const stats = () => scopeToTenant(orm.em.fork(), SCHOOL).findOne(CourseStats, { id: COURSE });
  const rebuild = (coursesUrl: string) =>
    rebuildAggregates({ orm, logger, sources: { courses: coursesUrl, billing: billingUrl }, sign, timeoutMs: 5000 });

  it('stops with SERVICE_UNAVAILABLE naming a stopped source, having changed nothing', async () => {
    const stopped = source();
    const url = await listen(stopped);
    await close(stopped);
    await expect(rebuild(url)).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'courses' } });
    expect(await enrollments()).toBe(0);
  });

  it('keeps what a cut export had applied, and completes on the next run', async () => {
    const cutting = source({ cutAfter: 700 });
    const url = await listen(cutting);
    await expect(rebuild(url)).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'courses' } });
    await close(cutting);
    // The first batch (500 facts: the course and 499 enrollments) was applied whole, the rest not.
    expect(await enrollments()).toBe(499);

    const whole = source();
    const result = await rebuild(await listen(whole));
    await close(whole);
    expect(result.facts).toEqual({ courses: STUDENTS + 1, billing: 0 });
    expect(await enrollments()).toBe(STUDENTS);
    expect(await stats()).toMatchObject({ enrolled: STUDENTS, completed: STUDENTS / 2, progressSum: STUDENTS / 2 });
  });
});
