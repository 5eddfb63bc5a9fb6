import { AttendanceStatus } from './attendance.entity';
import type { LiveSession } from './live-session.entity';

/**
 * Attendance rules, in one place:
 * - A student's first join of a LIVE session creates their record: PRESENT when it happens at
 *   most `lateAfterSeconds` (default 300 s, LIVE_LATE_AFTER_SECONDS) after the session's start,
 *   LATE afterwards. The start is the scheduled `startsAt`, or the actual start when the teacher
 *   opened the room later (students are not late for a class that had not begun).
 * - Every stay (join → leave, or join → end of session) adds its seconds to `totalSeconds`;
 *   joining twice without leaving counts once.
 * - When the session ends, every student enrolled then (not dropped) without a record gets ABSENT.
 * - EXCUSED is set by the teacher or a school admin, before or after the session, and is never
 *   overwritten by a join.
 */
export function firstJoinStatus(session: LiveSession, joinedAt: Date, lateAfterSeconds: number): AttendanceStatus {
  const start = Math.max(session.startsAt.getTime(), session.startedAt?.getTime() ?? 0);
  return joinedAt.getTime() - start > lateAfterSeconds * 1000 ? AttendanceStatus.LATE : AttendanceStatus.PRESENT;
}

/** Whole seconds of a stay (never negative, whatever the clocks did). */
export function staySeconds(from: Date, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}
