import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { InternalContextSigner } from '../../../platform/auth/internal-context';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { Fact } from '../../../platform/events/facts';
import { readFacts } from '../../../platform/events/facts-stream';
import type { Logger } from '../../../platform/logger';
import { lockCourse, recomputeCourseStats } from '../course/course-stats';
import { retryOnDeadlock } from '../../../platform/db/locks';
import { applyFact } from '../ingest/apply-fact';

/** The subgraphs whose facts analytics keeps, in the order they are read. */
export const FACT_SOURCES = ['courses', 'billing'] as const;

/** Facts applied per transaction: bounds memory and lock time whatever the size of the export. */
const BATCH = 500;

export interface RebuildOptions {
  orm: MikroORM;
  logger: Logger;
  /** Base URL of each source by name (env SUBGRAPH_URLS). */
  sources: Record<string, string>;
  sign: InternalContextSigner;
  /** One school only; default every school. */
  school?: string;
  timeoutMs?: number;
  /** Default the global fetch. */
  fetch?: typeof fetch;
}

export interface RebuildResult {
  facts: Record<string, number>;
  /** Course aggregates recomputed. */
  courses: number;
  ms: number;
}

/**
 * Recomputes every aggregate from the sources' current facts: each source's export is streamed
 * and applied through the same records as the events (ingest/apply-fact.ts), as of the moment its
 * export began, a batch per transaction and school; then every course's aggregate is recomputed
 * from the facts (so a new metric needs no replay). Safe while events keep coming: the records
 * keep the newest state whichever arrives first. A source that cannot be read stops the rebuild
 * with its SERVICE_UNAVAILABLE error; the facts applied before it are true as of its export and
 * stay (nothing is deleted), and a rebuild run again completes the rest.
 */
export async function rebuildAggregates(opts: RebuildOptions): Promise<RebuildResult> {
  const started = Date.now();
  const facts: Record<string, number> = {};
  const touched = new Map<string, Set<string>>();
  for (const service of FACT_SOURCES) {
    const url = opts.sources[service];
    if (!url) throw new Error(`no URL for ${service} (SUBGRAPH_URLS)`);
    const exportedAt = new Date();
    let batch: Fact[] = [];
    facts[service] = 0;
    const flush = async () => {
      await applyBatch(opts.orm, batch, exportedAt, touched);
      facts[service] += batch.length;
      batch = [];
    };
    for await (const fact of readFacts({
      service,
      url,
      sign: opts.sign,
      school: opts.school,
      timeoutMs: opts.timeoutMs,
      fetch: opts.fetch,
    })) {
      batch.push(fact);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }
  // Every course analytics knows of, not only those the export touched: a new metric covers them all.
  const courses = await knownCourses(opts.orm, opts.school);
  for (const [schoolId, ids] of touched) for (const id of ids) addTo(courses, schoolId, id);
  let recomputed = 0;
  for (const [schoolId, ids] of courses) {
    const list = [...ids];
    // One transaction per course: each holds its course's lock (course-stats.ts) only briefly.
    for (const courseId of list) {
      await retryOnDeadlock(() =>
        scopeToTenant(opts.orm.em.fork(), schoolId).transactional(async (tx) => {
          await lockCourse(tx, schoolId, courseId);
          await recomputeCourseStats(tx, schoolId, courseId);
        }),
      );
    }
    recomputed += list.length;
  }
  const result = { facts, courses: recomputed, ms: Date.now() - started };
  opts.logger.info({ ...result, school: opts.school }, 'analytics rebuilt from the facts exports');
  return result;
}

/** One batch, a transaction per school in it (each with its tenant filter). */
async function applyBatch(orm: MikroORM, batch: Fact[], exportedAt: Date, touched: Map<string, Set<string>>) {
  const bySchool = new Map<string, Fact[]>();
  for (const fact of batch) {
    const list = bySchool.get(fact.schoolId);
    if (list) list.push(fact);
    else bySchool.set(fact.schoolId, [fact]);
  }
  for (const [schoolId, schoolFacts] of bySchool) {
    await scopeToTenant(orm.em.fork(), schoolId).transactional(async (tx: EntityManager) => {
      for (const fact of schoolFacts) {
        const { courseId } = await applyFact(tx, fact, exportedAt);
        // Rows made by earlier facts of the batch are found in the identity map: one flush at commit.
        if (courseId) addTo(touched, schoolId, courseId);
      }
    });
  }
}

/** Courses of the facts, per school (raw SQL across schools: a rebuild is not a request of one). */
async function knownCourses(orm: MikroORM, school?: string): Promise<Map<string, Set<string>>> {
  const where = school ? 'where school_id = ?' : '';
  const params = school ? [school, school] : [];
  const rows = (await orm.em
    .fork()
    .getConnection()
    .execute(
      `select school_id, id as course_id from course_fact ${where}
       union select school_id, course_id from enrollment_fact ${where}`,
      params,
    )) as Array<{ school_id: string; course_id: string }>;
  const out = new Map<string, Set<string>>();
  for (const r of rows) addTo(out, r.school_id, r.course_id);
  return out;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}
