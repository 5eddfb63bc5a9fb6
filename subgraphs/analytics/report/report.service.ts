import { viewerOf, type Viewer } from '../../../platform/auth/viewer';
import { retryOnDeadlock, writeLock } from '../../../platform/db/locks';
import { appError, badInput, ErrorCode, forbidden } from '../../../platform/errors';
import { domainEvent } from '../../../platform/events/domain-events';
import { isUuid } from '../../../platform/graphql/ids';
import { recordEvent } from '../../../platform/outbox/outbox';
import { reportFileKey } from '../../../platform/storage/keys';
import type { FileStorage } from '../../../platform/storage/storage';
import type { AnalyticsContext } from '../context';
import { ReportJob, ReportJobStatus, ReportKind, type ReportScope } from './report-job.entity';

/** Widest window one report covers. */
export const MAX_WINDOW_DAYS = 366;
/** Reports one person may have queued or running at once. */
export const MAX_UNFINISHED_JOBS = 5;
/**
 * An unfinished job older than this no longer counts against the limit: one whose message was
 * dead-lettered (its failure could not even be recorded) must not lock its requester out.
 */
const UNFINISHED_COUNTS_FOR_MS = 24 * 3_600_000;
/** Jobs `reportJobs` lists. */
export const LISTED_JOBS = 50;
/** Lifetime of a download URL; each query of `downloadUrl` signs a fresh one. */
export const DOWNLOAD_URL_SECONDS = 900;
/** Dates outside these years are typing mistakes, not report windows. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const DAY_MS = 86_400_000;

export interface ReportRequest {
  kind: ReportKind;
  from: Date;
  to: Date;
}

/**
 * Who may export what: school admins every row of the school; a teacher the rows of the courses
 * they teach, of every kind but payments (money is the school's, and a payment names no course);
 * students and parents nothing.
 */
export function reportScope(viewer: Viewer, kind?: ReportKind): ReportScope {
  if (viewer.isAdmin) return 'SCHOOL';
  if (!viewer.isTeacher) throw forbidden("Only the school's admins and its teachers may export reports");
  if (kind === ReportKind.PAYMENTS) throw forbidden("Payments reports are for the school's admins only");
  return 'TEACHER';
}

/** The window [from, to): ordered, at most MAX_WINDOW_DAYS wide, within sane years; else BAD_USER_INPUT naming the argument. */
export function checkWindow(from: Date, to: Date): void {
  for (const [field, date] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const time = date instanceof Date ? date.getTime() : NaN;
    if (!Number.isFinite(time)) throw badInput(`${field} is not a valid date and time`, field);
    if (time < EARLIEST || time >= LATEST) throw badInput(`${field} must be between the years 2000 and 2099`, field);
  }
  if (from.getTime() >= to.getTime()) throw badInput('from must be before to', 'to');
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) throw badInput(`A report covers at most ${MAX_WINDOW_DAYS} days`, 'to');
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export class ReportService {
  constructor(
    private readonly storage: FileStorage,
    /** The time zone the file's times are written in: the school's (analytics' SchoolClock). */
    private readonly timeZoneOf: (ctx: AnalyticsContext) => string,
  ) {}

  /**
   * Records the job and, in the same transaction, its `report.requested` event (the outbox): a
   * recorded job always reaches the worker, and a job is never sent without its row. The limit of
   * unfinished jobs is checked under a lock of the requester's rows, so that concurrent requests
   * cannot both see room for one more (MySQL's range lock makes one of them wait or deadlock, and
   * a deadlock victim runs again); SQLite runs one writer at a time.
   */
  async request(ctx: AnalyticsContext, input: ReportRequest): Promise<ReportJob> {
    const viewer = viewerOf(ctx);
    const scope = reportScope(viewer, input.kind);
    checkWindow(input.from, input.to);
    const timeZone = this.timeZoneOf(ctx);
    const locale = ctx.locale ?? 'ar';
    return retryOnDeadlock(() =>
      ctx.em.fork().transactional(async (tx) => {
        const since = new Date(Date.now() - UNFINISHED_COUNTS_FOR_MS);
        const unfinished = await tx.find(
          ReportJob,
          { requestedBy: viewer.id, createdAt: { $gt: since }, status: { $in: [ReportJobStatus.QUEUED, ReportJobStatus.RUNNING] } },
          { fields: ['id'], ...writeLock(tx) },
        );
        if (unfinished.length >= MAX_UNFINISHED_JOBS) {
          throw appError(
            ErrorCode.RATE_LIMITED,
            `You already have ${unfinished.length} reports being prepared; wait until one is ready before asking for another`,
            { limit: MAX_UNFINISHED_JOBS },
          );
        }
        const job = tx.create(ReportJob, {
          schoolId: viewer.schoolId,
          requestedBy: viewer.id,
          kind: input.kind,
          scope,
          windowStart: input.from,
          windowEnd: input.to,
          timeZone,
          locale,
          storageKey: '',
          fileName: `${input.kind.toLowerCase().replace('_', '-')}_${day(input.from)}_${day(input.to)}.csv`,
        });
        job.storageKey = reportFileKey({ schoolId: viewer.schoolId, jobId: job.id, fileName: job.fileName });
        recordEvent(
          tx,
          domainEvent('report.requested', viewer.schoolId, {
            jobId: job.id,
            kind: input.kind,
            from: input.from.toISOString(),
            to: input.to.toISOString(),
            requestedBy: viewer.id,
          }),
        );
        return job;
      }),
    );
  }

  /** One of the viewer's own jobs; null for any other id (another person's, another school's, none). */
  async job(ctx: AnalyticsContext, id: string): Promise<ReportJob | null> {
    const viewer = viewerOf(ctx);
    reportScope(viewer);
    if (!isUuid(id)) return null;
    return ctx.em.findOne(ReportJob, { id: id.toLowerCase(), requestedBy: viewer.id });
  }

  /** The viewer's own jobs, newest first, the latest LISTED_JOBS. */
  async jobs(ctx: AnalyticsContext): Promise<ReportJob[]> {
    const viewer = viewerOf(ctx);
    reportScope(viewer);
    return ctx.em.find(ReportJob, { requestedBy: viewer.id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: LISTED_JOBS });
  }

  /** A fresh download URL of a written report (null before), signed for DOWNLOAD_URL_SECONDS. */
  async download(job: ReportJob): Promise<{ url: string; expiresAt: Date } | null> {
    if (job.status !== ReportJobStatus.SUCCEEDED) return null;
    return this.storage.presignDownload(job.storageKey, { fileName: job.fileName, expiresInSeconds: DOWNLOAD_URL_SECONDS });
  }
}
