import type { Feature } from '../../../platform/subgraph/feature';
import { AttendanceFact } from './attendance-fact.entity';
import { LiveSessionFact } from './live-session-fact.entity';

/** Live sessions (schedule, start, end) and settled attendance. */
export const liveSessionFeature = { entities: [LiveSessionFact, AttendanceFact] } satisfies Feature;
