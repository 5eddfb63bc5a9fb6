import type { Feature } from '../../../platform/subgraph/feature';
import { announcementFanoutConsumer } from './announcement.consumer';
import { Announcement } from './announcement.entity';
import { announcementLoaders } from './announcement.loaders';
import { AnnouncementResolver } from './announcement.resolver';

/** Announcements to a course's families, fanned out into notifications by a consumer. */
export const announcementFeature = {
  entities: [Announcement],
  resolvers: [AnnouncementResolver],
  loaders: announcementLoaders,
  consumers: [announcementFanoutConsumer],
} satisfies Feature;
