import type { EntityManager } from '@mikro-orm/core';
import { derivedId } from '../../../platform/db/derived-id';
import { AttendanceFact } from './attendance-fact.entity';
import { LiveSessionFact } from './live-session-fact.entity';

export interface SessionChange {
  sessionId: string;
  courseId: string;
  /** The planned start as of `at` (scheduled, rescheduled, the export). */
  startsAt?: Date;
  startedAt?: Date;
  endedAt?: Date;
  canceledAt?: Date;
}

/**
 * What happened to a session as of `at`. The planned start follows the latest schedule; the
 * moments it started, ended or was canceled are set once and never unset, so the session's events
 * may arrive in any order (an `ended` before its `started` fills in the end first).
 */
export async function recordSession(tx: EntityManager, schoolId: string, change: SessionChange, at: Date): Promise<LiveSessionFact> {
  const { sessionId, courseId, startsAt, startedAt, endedAt, canceledAt } = change;
  let row = await tx.findOne(LiveSessionFact, { id: sessionId });
  if (!row) {
    // Before its schedule is known, a start or end stands in for the planned start, older than any schedule.
    const planned = startsAt ?? startedAt ?? endedAt ?? canceledAt ?? at;
    row = tx.create(LiveSessionFact, {
      id: sessionId,
      schoolId,
      courseId,
      startsAt: planned,
      startsAtObservedAt: startsAt ? at : new Date(0),
    });
  } else if (startsAt && row.startsAtObservedAt <= at) {
    row.startsAt = startsAt;
    row.startsAtObservedAt = at;
  }
  row.startedAt ??= startedAt;
  row.endedAt ??= endedAt;
  row.canceledAt ??= canceledAt;
  return row;
}

export interface AttendanceChange {
  sessionId: string;
  courseId: string;
  studentId: string;
  status: string;
  totalSeconds: number;
}

/** A student's attendance as of `at`; an older settlement than the row's changes nothing. */
export async function recordAttendance(tx: EntityManager, schoolId: string, change: AttendanceChange, at: Date): Promise<void> {
  const id = derivedId(change.sessionId, change.studentId);
  const row = await tx.findOne(AttendanceFact, { id });
  if (!row) tx.create(AttendanceFact, { id, schoolId, ...change, observedAt: at });
  else if (row.observedAt <= at) Object.assign(row, { status: change.status, totalSeconds: change.totalSeconds, observedAt: at });
}
