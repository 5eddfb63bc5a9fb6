/** Enrollments that count on a child's card: dropped courses are history, not current work. */
export function currentEnrollments<E extends { status: string }>(enrollments: readonly E[]): E[] {
  return enrollments.filter((e) => e.status !== 'DROPPED');
}

/** The mean of the enrollments' progress (0..1); null without any. */
export function averageProgress(enrollments: readonly { progress: number }[]): number | null {
  if (!enrollments.length) return null;
  return enrollments.reduce((sum, e) => sum + e.progress, 0) / enrollments.length;
}
