import { openFileStorage } from '../../platform/storage/open';
import { createSubgraphService, type SubgraphRuntime, type SubgraphService } from '../../platform/subgraph/host';
import { defineSubgraph } from '../../platform/subgraph/manifest';
import type { Transport } from '../../platform/transport';
import { CourseResolver } from './course/course.resolver';
import { CourseService } from './course/course.service';
import { coursesDatabase } from './database';
import { EnrollmentResolver } from './enrollment/enrollment.resolver';
import { EnrollmentService } from './enrollment/enrollment.service';
import { coursesFactsRoute } from './facts/facts.route';
import { COURSES_DEFAULT_PORT, coursesConfigFromEnv, type CoursesConfig } from './env';
import { courses } from './features';
import { LessonResolver } from './lesson/lesson.resolver';
import { LessonService } from './lesson/lesson.service';
import { ClassroomResolver } from './live-session/classroom.resolver';
import { ClassroomService } from './live-session/classroom.service';
import { LiveEvents } from './live-session/live-events';
import { LiveSessionAdmissionResolver } from './live-session/live-session.admissions';
import { LiveSessionResolver } from './live-session/live-session.resolver';
import { LiveSessionService } from './live-session/live-session.service';
import { planPeopleBackfill } from './person/person.backfill';
import { createMemoryPresence } from './live-session/presence';
import { createRedisPresence, recordedStays } from './live-session/redis-presence';
import { QuizResolver } from './quiz/quiz.resolver';
import { QuizService } from './quiz/quiz.service';
import { seedDemo } from './seed';
import { CourseThumbnailResolver, LessonFileResolver, UploadResolver } from './upload/upload.resolver';
import { UploadService } from './upload/upload.service';

/**
 * The courses subgraph: courses, lessons, quizzes, enrollments and progress, live sessions.
 * Serves /graphql (gateway-signed calls only, and graphql-ws subscriptions for the gateway) and,
 * with local file storage, /files. Publishes its domain events through the outbox, consumes
 * people and guardian links (users) and plan subscriptions (billing), asks users for every person
 * when its read model of people is empty, and writes classroom events to the event bus. The
 * lifecycle is the platform's subgraph host's.
 */
export function createCoursesService(config: CoursesConfig, shared?: Transport): SubgraphService {
  return createSubgraphService(
    {
      name: 'courses',
      config,
      database: coursesDatabase,
      parts: courses,
      subscriptions: true,
      wire: wireCourses,
    },
    shared,
  );
}

/** The subgraph's manifest (subgraphs/catalog.ts). */
export const coursesSubgraph = defineSubgraph({
  name: 'courses',
  defaultPort: COURSES_DEFAULT_PORT,
  database: coursesDatabase,
  configFromEnv: coursesConfigFromEnv,
  parts: courses,
  createService: createCoursesService,
});

async function wireCourses({ config, orm, redis, transport, logger, app, url, onStop, verifyContext }: SubgraphRuntime<CoursesConfig>) {
  // Local file URLs name this service's own address, known once it listens.
  const storage = await openFileStorage(config.files, app, url);
  onStop('file storage', () => storage.close());
  app.use(coursesFactsRoute({ orm, verify: verifyContext, logger }));
  const presence = redis
    ? createRedisPresence(redis, { keyPrefix: config.redisPrefix, recorded: () => recordedStays(orm), logger })
    : createMemoryPresence();
  const live = new LiveEvents(transport.bus);
  const lessons = new LessonService();
  const sessions = new LiveSessionService(presence, live, { lateAfterSeconds: config.lateAfterSeconds }, logger);
  const uploads = new UploadService(storage, lessons, logger);
  // Before the consumers are bound: what is empty now (platform/people/backfill.ts says why not later).
  const backfill = await planPeopleBackfill({ orm, logger, mode: config.peopleBackfill });
  onStop('people backfill', () => backfill.stop());
  return {
    resolvers: [
      new CourseResolver(new CourseService()),
      new LessonResolver(lessons),
      new EnrollmentResolver(new EnrollmentService()),
      new QuizResolver(new QuizService()),
      new LiveSessionResolver(sessions, presence),
      new LiveSessionAdmissionResolver(verifyContext, transport.bus),
      new ClassroomResolver(new ClassroomService(presence, live)),
      new UploadResolver(uploads),
      new LessonFileResolver(uploads),
      new CourseThumbnailResolver(uploads),
    ],
    seed: () => seedDemo(orm, logger),
    // After the consumers are bound: users answers with events this service must not miss.
    afterStart: () => backfill.request(),
  };
}
