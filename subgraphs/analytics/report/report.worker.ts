import type { MikroORM } from '@mikro-orm/core';
import type { BrokerMessage, ConsumeOptions } from '../../../platform/broker/message-broker';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import type { Logger } from '../../../platform/logger';
import type { FileStorage } from '../../../platform/storage/storage';
import type { ConsumerDefinition, ConsumerRuntime } from '../../../platform/subgraph/feature';
import { CSV_CONTENT_TYPE, csvStream } from './report-csv';
import { ReportJob, ReportJobStatus } from './report-job.entity';
import { reportHeaders, reportRows, type ReportSpec } from './report-rows';

/** The queue of the report worker (before the deployment's queue prefix). */
export const REPORTS_QUEUE = 'analytics.reports';

export interface ReportWorkerOptions {
  storage: FileStorage;
  /** Delays before each retry of a failed run; after the last, the job is FAILED. Default the broker's [1 s, 10 s, 60 s]. */
  retryDelaysMs?: number[];
  /** Jobs one process writes at once. Default 2. */
  concurrency?: number;
  /** Rows per database page; default 1000 (report-rows.ts PAGE_SIZE). */
  pageSize?: number;
}

type ReportMessage = BrokerMessage<DomainEventOf<'report.requested'>>;

/** A failure while reading the facts, told apart from one of the storage in the job's error. */
class ReportSourceError extends Error {}

/**
 * Why a run failed, as the job shows it to its requester: which side failed and a short cause
 * (an S3 error's code and message, a file system error's code), never a stack, a path or SQL;
 * the log line has the whole error.
 */
function readableError(err: unknown, attempt: number, final: boolean): string {
  const when = final ? `; gave up after ${attempt} attempts` : `; attempt ${attempt} failed, it will be tried again`;
  if (err instanceof ReportSourceError) return `The report data could not be read from the database${when}.`;
  const e = err as { name?: string; code?: string; message?: string; $metadata?: unknown };
  const cause = e?.$metadata ? `${e.name}: ${String(e.message).split('\n')[0].slice(0, 200)}` : (e?.code ?? e?.name ?? 'unknown error');
  return `The report file could not be stored (${cause})${when}.`.slice(0, 500);
}

/** The rows of `source` with their count, failing as a ReportSourceError when the facts cannot be read. */
async function* counted<T>(source: AsyncIterable<T>, count: { rows: number }): AsyncGenerator<T> {
  try {
    for await (const row of source) {
      count.rows += 1;
      yield row;
    }
  } catch (err) {
    throw new ReportSourceError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/**
 * The report worker: consumes `report.requested` (queue `analytics.reports`) and writes the job's
 * CSV to file storage, streamed: the facts are read a keyset page at a time (report-rows.ts),
 * turned into CSV records as the storage takes them (report-csv.ts) and written with
 * `putStream` (a multipart upload on S3, a temporary file renamed into place on disk), so memory
 * stays flat whatever the report's length.
 *
 * The job row is the truth and the idempotency record (no handleOnce: its transaction would
 * span the whole write):
 * - SUCCEEDED or FAILED: done; a redelivery changes nothing.
 * - QUEUED, or RUNNING (a worker died during the run; or a duplicate delivery while another
 *   replica writes it): run from scratch under the same key, so a half-made attempt is
 *   overwritten, never shown (the storage shows a key only once its write completed).
 * - A failed run (the storage or the database down) records its error and goes back to QUEUED,
 *   and the broker retries it after its delay; the last attempt makes it FAILED with that error,
 *   readable by the requester. Should even that not be recorded, the message is dead-lettered,
 *   so no job is lost.
 */
export function reportConsumer(opts: ReportWorkerOptions): ConsumerDefinition<DomainEventOf<'report.requested'>> {
  const retryDelaysMs = opts.retryDelaysMs ?? [1_000, 10_000, 60_000];
  return {
    queue: REPORTS_QUEUE,
    options: { bindings: ['report.requested'], retryDelaysMs, prefetch: opts.concurrency ?? 2 } satisfies ConsumeOptions,
    handler({ orm, logger }: ConsumerRuntime) {
      // Jobs this process is writing now: a duplicate delivery meanwhile leaves it to the run under way.
      const running = new Set<string>();
      return async (message: ReportMessage): Promise<void> => {
        const { jobId } = message.payload.payload;
        if (running.has(jobId)) {
          logger.debug({ jobId }, 'report job: already being written by this process');
          return;
        }
        running.add(jobId);
        try {
          await runJob(orm, logger, opts, message, message.attempt > retryDelaysMs.length);
        } finally {
          running.delete(jobId);
        }
      };
    },
  };
}

async function runJob(orm: MikroORM, logger: Logger, opts: ReportWorkerOptions, message: ReportMessage, lastTry: boolean) {
  const schoolId = message.payload.tenantId;
  const { jobId } = message.payload.payload;
  const em = scopeToTenant(orm.em.fork(), schoolId);
  const job = await em.findOne(ReportJob, { id: jobId });
  if (!job) {
    logger.warn({ jobId, schoolId }, 'report job: no such job, nothing to do');
    return;
  }
  if (job.status === ReportJobStatus.SUCCEEDED || job.status === ReportJobStatus.FAILED) return;
  if (job.status === ReportJobStatus.RUNNING)
    logger.warn({ jobId, attempts: job.attempts }, 'report job found RUNNING: writing it again from scratch');

  job.status = ReportJobStatus.RUNNING;
  job.startedAt = new Date();
  job.attempts += 1;
  await em.flush();

  const spec: ReportSpec = {
    kind: job.kind,
    scope: { schoolId, teacherId: job.scope === 'TEACHER' ? job.requestedBy : undefined },
    from: job.windowStart,
    to: job.windowEnd,
    timeZone: job.timeZone,
    locale: job.locale,
    pageSize: opts.pageSize,
  };
  const count = { rows: 0 };
  const started = Date.now();
  try {
    // Raw page reads on a fork of their own: nothing of the report enters the job's identity map.
    const rows = counted(reportRows(scopeToTenant(orm.em.fork(), schoolId), spec), count);
    const stored = await opts.storage.putStream(job.storageKey, csvStream(reportHeaders(job.kind, job.locale, job.timeZone), rows), {
      contentType: CSV_CONTENT_TYPE,
      fileName: job.fileName,
    });
    Object.assign(job, { status: ReportJobStatus.SUCCEEDED, rows: count.rows, error: null, finishedAt: new Date() });
    await em.flush();
    logger.info({ jobId, kind: job.kind, rows: count.rows, bytes: stored.size, ms: Date.now() - started }, 'report written');
  } catch (err) {
    const error = readableError(err, job.attempts, lastTry);
    logger.warn(
      { err, jobId, attempt: message.attempt, lastTry },
      lastTry ? 'report job FAILED: retries exhausted' : 'report job failed; the broker retries it',
    );
    try {
      Object.assign(
        job,
        lastTry ? { status: ReportJobStatus.FAILED, error, finishedAt: new Date() } : { status: ReportJobStatus.QUEUED, error },
      );
      await em.flush();
    } catch (recordErr) {
      logger.error({ err: recordErr, jobId }, 'report job: could not record the failure');
      throw err;
    }
    // Recorded as FAILED: the job is over, the message is done with.
    if (lastTry) return;
    throw err;
  }
}
