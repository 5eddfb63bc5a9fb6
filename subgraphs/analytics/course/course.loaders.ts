import DataLoader from 'dataloader';
import { byId } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { activeStudentsByCourse } from './course-analytics';
import { CourseFact } from './course-fact.entity';
import { CourseStats } from './course-stats.entity';

declare module '../context' {
  interface AnalyticsLoaders {
    courseFact: DataLoader<string, CourseFact | null>;
    courseStats: DataLoader<string, CourseStats | null>;
    /** Students of the course active in the last 7 days. */
    activeStudents: DataLoader<string, number>;
  }
}

export const courseLoaders = (ctx: LoaderContext) => ({
  courseFact: byId((ids) => ctx.em.find(CourseFact, { id: { $in: ids } })),
  courseStats: byId((ids) => ctx.em.find(CourseStats, { id: { $in: ids } })),
  activeStudents: new DataLoader<string, number>((ids) =>
    ctx.tenant ? activeStudentsByCourse(ctx.em, ctx.tenant.id, ids) : Promise.resolve(ids.map(() => 0)),
  ),
});
