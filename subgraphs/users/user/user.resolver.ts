import { Arg, Args, Authorized, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../../platform/errors';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { ConnectionType, PageArgs, paginate } from '../../../platform/graphql/connection';
import type { UsersContext } from '../context';
import { School } from '../school/school.entity';
import { Role } from './role';
import { hasRole } from './role-set.type';
import { User } from './user.entity';
import { userPolicy } from './user.policy';

export const UserConnection = ConnectionType(User);

@Resolver(() => User)
export class UserResolver {
  @Directive(cacheHint(60, 'PRIVATE'))
  @Query(() => User, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  async me(@Ctx() ctx: UsersContext): Promise<User | null> {
    return ctx.user ? ctx.loaders.user.load(ctx.user.id) : null;
  }

  @Authorized()
  @Directive(cacheHint(60))
  @Query(() => User, { nullable: true, description: 'A member of the current school; null if there is none with this id.' })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: UsersContext): Promise<User | null> {
    return ctx.loaders.user.load(id);
  }

  @Authorized()
  @Query(() => UserConnection, { description: 'People of the current school (admins and teachers).' })
  async users(@Args() page: PageArgs, @Arg('role', () => Role, { nullable: true }) role: Role | undefined, @Ctx() ctx: UsersContext) {
    if (!userPolicy.canList(ctx)) throw forbidden('Only school admins and teachers can list people');
    return paginate(ctx.em, User, role ? { roles: hasRole(role) } : {}, page);
  }

  @Directive(cacheHint(60))
  @FieldResolver(() => School)
  async school(@Root() user: User, @Ctx() ctx: UsersContext): Promise<School> {
    return (await ctx.loaders.school.load(user.schoolId))!;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Visible to the person, admins, teachers and their guardians.' })
  async email(@Root() user: User, @Ctx() ctx: UsersContext): Promise<string | null> {
    return (await userPolicy.canSeeContact(ctx, user)) ? (user.email ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Visible to the person, admins, teachers and their guardians.' })
  async phone(@Root() user: User, @Ctx() ctx: UsersContext): Promise<string | null> {
    return (await userPolicy.canSeeContact(ctx, user)) ? (user.phone ?? null) : null;
  }

  @FieldResolver(() => [User], { description: "A parent's linked students (the parent and admins)." })
  async children(@Root() user: User, @Ctx() ctx: UsersContext): Promise<User[]> {
    if (!userPolicy.canSeeChildren(ctx, user)) throw forbidden("Only the parent and school admins can see a parent's children");
    return loadAll(ctx, await ctx.loaders.childIds.load(user.id));
  }

  @FieldResolver(() => [User], { description: "A student's guardians (the student, admins, teachers, guardians)." })
  async guardians(@Root() user: User, @Ctx() ctx: UsersContext): Promise<User[]> {
    if (!(await userPolicy.canSeeGuardians(ctx, user))) throw forbidden("Not allowed to see this student's guardians");
    return loadAll(ctx, await ctx.loaders.guardianIds.load(user.id));
  }
}

async function loadAll(ctx: UsersContext, ids: string[]): Promise<User[]> {
  return (await ctx.loaders.user.loadMany(ids)).filter((u): u is User => u instanceof Object && !(u instanceof Error));
}

/**
 * `_entities` lookups from other subgraphs (a course's teacher, an enrollment's student). The
 * tenant filter on the loader makes another school's id resolve to null, like `user(id)`.
 */
export const userReference = {
  __resolveReference: (ref: { id: string }, ctx: UsersContext) => (ctx.user ? ctx.loaders.user.load(ref.id) : null),
};
