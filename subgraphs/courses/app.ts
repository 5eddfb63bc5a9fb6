import type { MikroORM } from '@mikro-orm/core';
import Redis from 'ioredis';
import { createInternalContextVerifier } from '../../platform/auth/internal-context';
import { loadPublicJwks } from '../../platform/auth/keys';
import type { Consumer } from '../../platform/broker/message-broker';
import { openDatabase, type DatabaseOptions } from '../../platform/db/orm';
import { mountSubgraph, subgraphContextFactory } from '../../platform/graphql/subgraph-server';
import { serveSubgraphSubscriptions } from '../../platform/graphql/subgraph-ws';
import { createHttpApp, listen, type RunningServer } from '../../platform/http';
import { createLogger } from '../../platform/logger';
import { createTransport, type Transport } from '../../platform/transport';
import { createMetrics } from '../../platform/metrics';
import { startOutboxRelay, type OutboxRelay } from '../../platform/outbox/outbox';
import { Shutdown, type Service } from '../../platform/service';
import { createLoaders } from './context';
import { CourseResolver } from './course/course.resolver';
import { CourseService } from './course/course.service';
import { coursesDatabase } from './database';
import { EnrollmentResolver } from './enrollment/enrollment.resolver';
import { EnrollmentService } from './enrollment/enrollment.service';
import { subscriptionEnrollmentConsumer } from './enrollment/subscription.consumer';
import type { CoursesConfig } from './env';
import { openFileStorage } from './files';
import { guardianLinksConsumer } from './guardian/guardian.consumer';
import { LessonResolver } from './lesson/lesson.resolver';
import { LessonService } from './lesson/lesson.service';
import { ClassroomResolver } from './live-session/classroom.resolver';
import { ClassroomService } from './live-session/classroom.service';
import { LiveEvents } from './live-session/live-events';
import { LiveSessionResolver } from './live-session/live-session.resolver';
import { LiveSessionService } from './live-session/live-session.service';
import { createMemoryPresence } from './live-session/presence';
import { createRedisPresence } from './live-session/redis-presence';
import { QuizResolver } from './quiz/quiz.resolver';
import { QuizService } from './quiz/quiz.service';
import { buildCoursesSchema } from './schema';
import { seedDemo } from './seed';
import { CourseThumbnailResolver, LessonFileResolver, UploadResolver } from './upload/upload.resolver';
import { UploadService } from './upload/upload.service';

export interface CoursesService extends Service {
  /** Available after start(); tests use it to arrange data. */
  orm(): MikroORM;
  /** Available after start(); tests drain it instead of waiting for its polling. */
  outbox(): OutboxRelay;
  /** Full names of the broker queues this service consumes (tests delete them afterwards). */
  queues(): string[];
}

/**
 * The courses subgraph: courses, lessons, quizzes, enrollments and progress, live sessions.
 * Serves /graphql (gateway-signed calls only) and, with local file storage, /files. Publishes
 * its domain events through the outbox, consumes guardian links (users) and plan subscriptions
 * (billing), and writes classroom events to the event bus.
 */
export function createCoursesService(
  config: CoursesConfig & { database: Partial<Pick<DatabaseOptions, 'dbName' | 'sqlitePath' | 'onQuery'>> },
  /** Shared transport (embedded mode); by default the service opens its own from the config. */
  shared?: Transport,
): CoursesService {
  const logger = createLogger('courses');
  const metrics = createMetrics('courses');
  const shutdown = new Shutdown(logger);
  const queue = (name: string) => `${config.queuePrefix}${name}`;
  let orm: MikroORM | undefined;
  let relay: OutboxRelay | undefined;
  let server: RunningServer | undefined;

  return {
    name: 'courses',
    orm: () => orm!,
    outbox: () => relay!,
    queues: () => [guardianLinksConsumer.queue, subscriptionEnrollmentConsumer.queue].map(queue),
    async start() {
      orm = await openDatabase({ ...coursesDatabase, ...config.database, logger });
      shutdown.add('data', 'database', () => orm!.close());
      const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
      if (redis) shutdown.add('data', 'redis', () => redis.quit());
      const transport =
        shared ??
        createTransport({ redisUrl: config.redisUrl, amqpUrl: config.amqpUrl, redisPrefix: config.redisPrefix, name: 'courses', logger });
      if (!shared) shutdown.add('data', 'transport', () => transport.close());

      let ready = false;
      const app = createHttpApp({
        name: 'courses',
        logger,
        metrics,
        ready: async () => ready && (await orm!.isConnected()) && (!redis || redis.status === 'ready'),
      });
      // Listening first: the local file storage signs URLs with this service's address.
      server = await listen(app, config.port, config.host);
      const storage = await openFileStorage(config.files, app, server.url);
      shutdown.add('data', 'file storage', () => storage.close());

      const presence = redis ? createRedisPresence(redis, { keyPrefix: config.redisPrefix }) : createMemoryPresence();
      const live = new LiveEvents(transport.bus);
      const lessons = new LessonService();
      const sessions = new LiveSessionService(presence, live, { lateAfterSeconds: config.lateAfterSeconds }, logger);
      const uploads = new UploadService(storage, lessons, logger);
      const schema = await buildCoursesSchema([
        new CourseResolver(new CourseService()),
        new LessonResolver(lessons),
        new EnrollmentResolver(new EnrollmentService()),
        new QuizResolver(new QuizService()),
        new LiveSessionResolver(sessions, presence),
        new ClassroomResolver(new ClassroomService(presence, live)),
        new UploadResolver(uploads),
        new LessonFileResolver(uploads),
        new CourseThumbnailResolver(uploads),
      ]);
      const verifyContext = createInternalContextVerifier(loadPublicJwks(config.internalKeys.json, config.internalKeys.file), 'courses');
      const apollo = await mountSubgraph({
        name: 'courses',
        app,
        schema,
        orm,
        verifyContext,
        logger,
        production: config.production,
        createLoaders,
      });
      shutdown.add('http', 'apollo', () => apollo.stop());
      // Registered after apollo so that it runs first: stop taking requests, drain, then stop apollo.
      shutdown.add('http', 'http server', () => server!.close());
      // Subscriptions for the gateway over graphql-ws on /graphql (platform/graphql/subgraph-ws.ts);
      // registered last so they close first: upgraded sockets would hold the HTTP server open.
      const subscriptions = serveSubgraphSubscriptions({
        name: 'courses',
        server: server.server,
        schema,
        verifyContext,
        createContext: subgraphContextFactory({ orm, createLoaders }),
        bus: transport.bus,
        logger,
      });
      shutdown.add('http', 'subscriptions', () => subscriptions.close());
      if (config.seedDemo) await seedDemo(orm, logger);

      relay = startOutboxRelay({ orm, broker: transport.broker, logger, pollIntervalMs: config.outboxPollIntervalMs });
      shutdown.add('workers', 'outbox relay', () => relay!.stop());
      const consumers: Consumer[] = [
        await transport.broker.consume(
          queue(guardianLinksConsumer.queue),
          guardianLinksConsumer.handler(orm),
          guardianLinksConsumer.options,
        ),
        await transport.broker.consume(
          queue(subscriptionEnrollmentConsumer.queue),
          subscriptionEnrollmentConsumer.handler(orm, logger),
          subscriptionEnrollmentConsumer.options,
        ),
      ];
      shutdown.add('workers', 'consumers', () => Promise.all(consumers.map((c) => c.cancel())));
      ready = true;
      return { url: server.url, port: server.port };
    },
    stop: () => shutdown.run(),
  };
}
