import type { Touched } from '../ingest/apply-event';

/**
 * Told after each committed change of the facts, so that the live dashboards of the school, the
 * course and the session it touched are updated (dashboard/, coalesced to at most one update per
 * second per topic). Never throws: a dashboard that misses a beat catches up with the next change.
 */
export interface DashboardChanges {
  changed(schoolId: string, touched: Touched): void;
}
