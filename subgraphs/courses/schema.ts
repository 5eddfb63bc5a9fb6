import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../../platform/graphql/auth-checker';
import { buildFederatedSchema, instanceContainer } from '../../platform/graphql/federation';
import { CourseResolver, courseReference } from './course/course.resolver';
import { EnrollmentResolver } from './enrollment/enrollment.resolver';
import { LessonResolver } from './lesson/lesson.resolver';
import { AttendanceResolver } from './live-session/attendance.resolver';
import { ClassroomResolver } from './live-session/classroom.resolver';
import { LiveSessionEventResolver } from './live-session/live-session-event.resolver';
import { LiveSessionResolver, liveSessionReference } from './live-session/live-session.resolver';
import { LiveSessionSubscription } from './live-session/live-session.subscription';
import { PollResolver } from './live-session/poll.resolver';
import { QuestionResolver, QuizAnswerResolver, QuizAttemptResolver, QuizResolver } from './quiz/quiz.resolver';
import { CourseThumbnailResolver, LessonFileResolver, UploadResolver } from './upload/upload.resolver';
import { UserCoursesResolver, userReference } from './user/user.resolver';

export const resolvers = [
  CourseResolver,
  CourseThumbnailResolver,
  LessonResolver,
  LessonFileResolver,
  UploadResolver,
  EnrollmentResolver,
  QuizResolver,
  QuestionResolver,
  QuizAttemptResolver,
  QuizAnswerResolver,
  LiveSessionResolver,
  AttendanceResolver,
  ClassroomResolver,
  PollResolver,
  LiveSessionEventResolver,
  LiveSessionSubscription,
  UserCoursesResolver,
] as const;

/**
 * The courses subgraph schema. Resolver instances come from `instances` (constructor-injected
 * services); printing the SDL needs none, so it can run without a database.
 */
export function buildCoursesSchema(instances: object[] = []): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers,
      authChecker,
      container: instanceContainer(instances),
    },
    { Course: courseReference, LiveSession: liveSessionReference, User: userReference },
  );
}
