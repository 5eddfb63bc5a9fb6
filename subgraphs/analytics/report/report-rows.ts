import type { EntityManager } from '@mikro-orm/core';
import type { Locale } from '../../../platform/i18n/locale';
import { sqlTime } from '../course/course-analytics';
import { ReportKind } from './report-job.entity';

/** Rows per query: each page is one range read of the facts; the worker holds one page at a time. */
export const PAGE_SIZE = 1000;

/** Whose rows: the whole school, or only those of the courses `teacherId` teaches. */
export interface RowScope {
  schoolId: string;
  teacherId?: string;
}

/** What a report covers and how its file is written. */
export interface ReportSpec {
  kind: ReportKind;
  scope: RowScope;
  from: Date;
  to: Date;
  timeZone: string;
  locale: Locale;
  /** Default PAGE_SIZE. */
  pageSize?: number;
}

type Raw = Record<string, unknown>;
type Cell = string | number;

/** A DATETIME as the driver returns it: a Date (MariaDB), epoch milliseconds (SQLite), or an unzoned UTC string. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/**
 * A report kind's rows: `select` columns from `from` (the fact table and its joins), of one school
 * within the report's window of `at`, paged by (`at`, `id`): keyset paging, so each page starts
 * after the last row of the previous, every page is an index range read however deep into the
 * report, and rows written meanwhile neither shift nor repeat rows.
 */
interface RowQuery {
  select: string;
  from: string;
  /** The alias of the table whose `school_id` (and `course_id` for a course scope) the rows are of. */
  alias: string;
  /** The time column the window applies to and the rows are in order of (then `id`). */
  at: string;
  id: string;
  /** Conditions beyond the school and the window (none by default). */
  where?: string;
  /** Whether rows are of courses: deleted courses' rows left out, and for a teacher those of courses they do not teach. */
  courseScoped: boolean;
}

/**
 * The rows of `q` for `spec`'s school and window, a page of `pageSize` at a time, each with its
 * `page_at` and `page_id`. Raw SQL: the school is a parameter (no tenant filter here).
 */
async function* windowRows(em: EntityManager, q: RowQuery, spec: ReportSpec, pageSize: number): AsyncGenerator<Raw> {
  const connection = em.getConnection();
  const scope = q.courseScoped ? courseScope(q.alias, spec.scope) : { sql: '', params: [] };
  const where = `${q.alias}.school_id = ? and ${q.at} >= ? and ${q.at} < ? ${q.where ? `and ${q.where}` : ''} ${scope.sql}`;
  const params = [spec.scope.schoolId, sqlTime(em, spec.from), sqlTime(em, spec.to), ...scope.params];
  let after: [unknown, string] | undefined;
  for (;;) {
    const keyset = after ? `and (${q.at} > ? or (${q.at} = ? and ${q.id} > ?))` : '';
    const rows = (await connection.execute(
      `select ${q.select}, ${q.at} as page_at, ${q.id} as page_id from ${q.from}
        where ${where} ${keyset}
        order by ${q.at}, ${q.id}
        limit ${pageSize}`,
      (after ? [...params, after[0], after[0], after[1]] : params) as never[],
    )) as Raw[];
    yield* rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = [sqlTime(em, toDate(last.page_at)), String(last.page_id)];
  }
}

/**
 * The courses a scope reaches, as a condition on `alias.course_id`: a teacher's courses (as
 * courses last said, deleted ones left out), or every course of the school but deleted ones.
 */
function courseScope(alias: string, scope: RowScope): { sql: string; params: unknown[] } {
  if (scope.teacherId) {
    return {
      sql: `and ${alias}.course_id in (select c2.id from course_fact c2 where c2.school_id = ? and c2.teacher_id = ? and c2.deleted = 0)`,
      params: [scope.schoolId, scope.teacherId],
    };
  }
  return {
    sql: `and not exists (select 1 from course_fact c2 where c2.school_id = ${alias}.school_id and c2.id = ${alias}.course_id and c2.deleted = 1)`,
    params: [],
  };
}

/** `left join` of the person `row.column` names, for their name (the people read model). */
const personJoin = (alias: string, row: string, column: string) =>
  `left join person ${alias} on ${alias}.school_id = ${row}.school_id and ${alias}.id = ${row}.${column}`;

/**
 * A name or title as a spreadsheet cell: text a spreadsheet would run as a formula (`=`, `+`,
 * `-`, `@`, tab, carriage return first: OWASP "CSV injection") gets a leading apostrophe, which
 * spreadsheet programs show as text and do not display.
 */
export function textCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** `2026-03-01 11:30:00`, in the report's time zone: what spreadsheet programs read as a date and time. */
export function timeFormatter(timeZone: string): (value: unknown) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (value) => {
    if (value === null || value === undefined) return '';
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(toDate(value))) parts[part.type] = part.value;
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  };
}

/** Piasters as pounds with two decimals, sign kept: -15050 → `-150.50`. */
export function egp(piasters: number): string {
  const abs = Math.abs(piasters);
  return `${piasters < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const oneDecimal = (value: number) => (Math.round(value * 10) / 10).toFixed(1);

/** The header row of a report, in the requester's language; times are in `timeZone`. */
export function reportHeaders(kind: ReportKind, locale: Locale, timeZone: string): string[] {
  const ar = locale === 'ar';
  switch (kind) {
    case ReportKind.ENROLLMENTS:
      return ar
        ? [`تاريخ التسجيل (${timeZone})`, 'المقرر', 'الطالب', 'الحالة', 'نسبة التقدم (%)', 'معرّف المقرر', 'معرّف الطالب', 'معرّف التسجيل']
        : [`Enrolled at (${timeZone})`, 'Course', 'Student', 'State', 'Progress (%)', 'Course ID', 'Student ID', 'Enrollment ID'];
    case ReportKind.ATTENDANCE:
      return ar
        ? [`موعد الحصة (${timeZone})`, 'المقرر', 'الطالب', 'الحضور', 'دقائق الحضور', 'معرّف الحصة', 'معرّف المقرر', 'معرّف الطالب']
        : [
            `Session starts at (${timeZone})`,
            'Course',
            'Student',
            'Attendance',
            'Minutes attended',
            'Session ID',
            'Course ID',
            'Student ID',
          ];
    case ReportKind.QUIZ_RESULTS:
      return ar
        ? [
            `وقت التسليم (${timeZone})`,
            'المقرر',
            'الطالب',
            'الدرجة',
            'الدرجة العظمى',
            'النسبة (%)',
            'معرّف الاختبار',
            'معرّف المقرر',
            'معرّف الطالب',
            'معرّف المحاولة',
          ]
        : [
            `Submitted at (${timeZone})`,
            'Course',
            'Student',
            'Score',
            'Max score',
            'Score (%)',
            'Quiz ID',
            'Course ID',
            'Student ID',
            'Attempt ID',
          ];
    case ReportKind.PAYMENTS:
      return ar
        ? [
            `الوقت (${timeZone})`,
            'النوع',
            'المبلغ (ج.م)',
            'المبلغ (قرش)',
            'مزود الدفع',
            'الدافع',
            'الطالب',
            'معرّف الدفعة',
            'معرّف الاسترداد',
            'معرّف الدافع',
            'معرّف الطالب',
          ]
        : [
            `Time (${timeZone})`,
            'Type',
            'Amount (EGP)',
            'Amount (piasters)',
            'Provider',
            'Payer',
            'Student',
            'Payment ID',
            'Refund ID',
            'Payer ID',
            'Student ID',
          ];
  }
}

/** How a report kind's rows are read, and the cells of each (in the order of `reportHeaders`). */
interface RowKind {
  query: RowQuery;
  cells(r: Raw, time: (value: unknown) => string): Cell[];
}

const courseTitle = (row: string) => `left join course_fact c on c.school_id = ${row}.school_id and c.id = ${row}.course_id`;

const ROWS: Record<ReportKind.ENROLLMENTS | ReportKind.ATTENDANCE | ReportKind.QUIZ_RESULTS, RowKind> = {
  [ReportKind.ENROLLMENTS]: {
    query: {
      select: 'e.course_id, c.title as course_title, e.student_id, p.display_name as student_name, e.state, e.progress',
      from: `enrollment_fact e ${courseTitle('e')} ${personJoin('p', 'e', 'student_id')}`,
      alias: 'e',
      at: 'e.enrolled_at',
      id: 'e.id',
      // REMOVED enrollments were mistakes, and UNKNOWN ones are not known to be enrollments yet.
      where: "e.state in ('ACTIVE', 'DROPPED')",
      courseScoped: true,
    },
    cells: (r, time) => [
      time(r.page_at),
      textCell(r.course_title),
      textCell(r.student_name),
      String(r.state),
      oneDecimal(Number(r.progress) * 100),
      String(r.course_id),
      String(r.student_id),
      String(r.page_id),
    ],
  },
  [ReportKind.ATTENDANCE]: {
    query: {
      select: `s.id as session_id, s.course_id, c.title as course_title, a.student_id, p.display_name as student_name,
               a.status, a.total_seconds`,
      from: `live_session_fact s
             join attendance_fact a on a.school_id = s.school_id and a.session_id = s.id
             ${courseTitle('s')} ${personJoin('p', 'a', 'student_id')}`,
      alias: 's',
      at: 's.starts_at',
      id: 'a.id',
      where: 's.canceled_at is null',
      courseScoped: true,
    },
    cells: (r, time) => [
      time(r.page_at),
      textCell(r.course_title),
      textCell(r.student_name),
      String(r.status),
      oneDecimal(Number(r.total_seconds) / 60),
      String(r.session_id),
      String(r.course_id),
      String(r.student_id),
    ],
  },
  [ReportKind.QUIZ_RESULTS]: {
    query: {
      select: 'q.quiz_id, q.course_id, c.title as course_title, q.student_id, p.display_name as student_name, q.score, q.max_score',
      from: `quiz_attempt_fact q ${courseTitle('q')} ${personJoin('p', 'q', 'student_id')}`,
      alias: 'q',
      at: 'q.submitted_at',
      id: 'q.id',
      courseScoped: true,
    },
    cells: (r, time) => {
      const score = Number(r.score);
      const max = Number(r.max_score);
      return [
        time(r.page_at),
        textCell(r.course_title),
        textCell(r.student_name),
        score,
        max,
        max > 0 ? oneDecimal((score / max) * 100) : '',
        String(r.quiz_id),
        String(r.course_id),
        String(r.student_id),
        String(r.page_id),
      ];
    },
  },
};

/** Payments and refunds: each paged on its own index, merged in time order (paymentRows); refunds as negative amounts. */
const PAYMENTS: RowQuery = {
  select: `f.payer_id, pp.display_name as payer_name, f.student_id, ps.display_name as student_name, f.amount_piasters, f.provider,
           f.id as payment_id, null as refund_id`,
  from: `payment_fact f ${personJoin('pp', 'f', 'payer_id')} ${personJoin('ps', 'f', 'student_id')}`,
  alias: 'f',
  at: 'f.paid_at',
  id: 'f.id',
  courseScoped: false,
};
const REFUNDS: RowQuery = {
  select: `f.payer_id, pp.display_name as payer_name, f.student_id, ps.display_name as student_name, -r.amount_piasters as amount_piasters,
           f.provider, r.payment_id, r.id as refund_id`,
  from: `refund_fact r
         left join payment_fact f on f.school_id = r.school_id and f.id = r.payment_id
         ${personJoin('pp', 'f', 'payer_id')} ${personJoin('ps', 'f', 'student_id')}`,
  alias: 'r',
  at: 'r.refunded_at',
  id: 'r.id',
  courseScoped: false,
};
const paymentCells = (r: Raw, time: (value: unknown) => string): Cell[] => {
  const amount = Number(r.amount_piasters);
  return [
    time(r.page_at),
    r.refund_id ? 'REFUND' : 'PAYMENT',
    egp(amount),
    amount,
    r.provider ? String(r.provider) : '',
    textCell(r.payer_name),
    textCell(r.student_name),
    String(r.payment_id),
    r.refund_id ? String(r.refund_id) : '',
    r.payer_id ? String(r.payer_id) : '',
    r.student_id ? String(r.student_id) : '',
  ];
};

/**
 * The data rows of a report, in time order (then id), one page of PAGE_SIZE in memory at a time:
 * each a list of cells in the order of `reportHeaders`. Rows of deleted courses are left out, and
 * for a teacher every row of a course they do not teach.
 */
export async function* reportRows(em: EntityManager, spec: ReportSpec): AsyncGenerator<Cell[]> {
  const time = timeFormatter(spec.timeZone);
  const pageSize = spec.pageSize ?? PAGE_SIZE;
  if (spec.kind === ReportKind.PAYMENTS) {
    // Money is the school's: no teacher scope reaches it (the request refuses it; this is the backstop).
    if (spec.scope.teacherId) return;
    for await (const r of paymentRows(em, spec, pageSize)) yield paymentCells(r, time);
    return;
  }
  const kind = ROWS[spec.kind];
  for await (const r of windowRows(em, kind.query, spec, pageSize)) yield kind.cells(r, time);
}

/** Payments and refunds, each paged on its own index, merged in time order. */
async function* paymentRows(em: EntityManager, spec: ReportSpec, pageSize: number): AsyncGenerator<Raw> {
  const payments = windowRows(em, PAYMENTS, spec, pageSize);
  const refunds = windowRows(em, REFUNDS, spec, pageSize);
  const key = (r: Raw) => toDate(r.page_at).getTime();
  let p = await payments.next();
  let f = await refunds.next();
  while (!p.done || !f.done) {
    // A payment before a refund at the same moment (a refund never comes before its payment).
    if (!p.done && (f.done || key(p.value) <= key(f.value))) {
      yield p.value;
      p = await payments.next();
    } else if (!f.done) {
      yield f.value;
      f = await refunds.next();
    }
  }
}
