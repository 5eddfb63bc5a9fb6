import type { Feature } from '../../../platform/subgraph/feature';
import { Attendance } from './attendance.entity';
import { AttendanceResolver } from './attendance.resolver';
import { ClassroomResolver } from './classroom.resolver';
import { LiveSessionEventResolver } from './live-session-event.resolver';
import { LiveSessionAdmissionResolver } from './live-session.admissions';
import { CourseLiveSessionsResolver, EnrollmentAttendanceResolver } from './live-session.extensions';
import { LiveSession } from './live-session.entity';
import { liveSessionLoaders } from './live-session.loaders';
import { LiveSessionResolver, liveSessionReference } from './live-session.resolver';
import { LiveSessionSubscription } from './live-session.subscription';
import { PollVote } from './poll-vote.entity';
import { Poll } from './poll.entity';
import { PollResolver } from './poll.resolver';

/** Live sessions: schedule, attendance, the classroom (chat, hands, polls) and its event feed. */
export const liveSessionFeature = {
  entities: [LiveSession, Attendance, Poll, PollVote],
  resolvers: [
    LiveSessionResolver,
    AttendanceResolver,
    ClassroomResolver,
    PollResolver,
    LiveSessionEventResolver,
    LiveSessionSubscription,
    LiveSessionAdmissionResolver,
    CourseLiveSessionsResolver,
    EnrollmentAttendanceResolver,
  ],
  references: { LiveSession: liveSessionReference },
  loaders: liveSessionLoaders,
} satisfies Feature;
