import { Ctx, Directive, Query, Resolver } from 'type-graphql';
import { cacheHint } from '../../../platform/graphql/cache-control';
import type { UsersContext } from '../context';
import { School } from './school.entity';

@Resolver(() => School)
export class SchoolResolver {
  @Directive(cacheHint(60))
  // In the partner contract: it answers without a signed-in user (partners call with an API key).
  @Directive('@tag(name: "partner")')
  @Query(() => School, { nullable: true, description: "The current school (from the host's subdomain or X-Tenant-ID)." })
  async school(@Ctx() ctx: UsersContext): Promise<School | null> {
    return ctx.tenant ? ctx.em.findOne(School, { id: ctx.tenant.id }) : null;
  }
}

/** Another subgraph's reference to a school resolves only for the current tenant. */
export const schoolReference = {
  __resolveReference: (ref: { id: string }, ctx: UsersContext) =>
    ctx.tenant && ref.id === ctx.tenant.id ? ctx.em.findOne(School, { id: ref.id }) : null,
};
