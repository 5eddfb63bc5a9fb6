import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import { forbidden } from '../../../platform/errors';
import type { AnalyticsContext } from '../context';
import { SchoolRef } from '../references';
import { schoolAnalytics } from './school-analytics';
import { SchoolAnalytics } from './school-analytics.type';
import type { SchoolClock } from './school-clock';

/** The field analytics adds to the users subgraph's `School`. */
@Resolver(() => SchoolRef)
export class SchoolAnalyticsResolver {
  constructor(private readonly clock: SchoolClock) {}

  @FieldResolver(() => SchoolAnalytics, { description: "The school's figures; its admins only." })
  async analytics(@Root() school: SchoolRef, @Ctx() ctx: AnalyticsContext): Promise<SchoolAnalytics> {
    const viewer = viewerOf(ctx);
    // Only the school the request is for: an id of another school is refused, never read.
    if (!viewer.isAdmin || school.id !== viewer.schoolId) throw forbidden("Only the school's admins may read its analytics");
    return schoolAnalytics(ctx.em, viewer.schoolId, this.clock.timeZoneOf(ctx));
  }
}

/** `_entities` lookups of a School: users resolved it before the gateway asks here. */
export const schoolReference = {
  __resolveReference: (ref: { id: string }) => Object.assign(new SchoolRef(), { id: ref.id }),
};
