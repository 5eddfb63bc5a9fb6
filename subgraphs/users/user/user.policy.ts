import { isAdmin, Roles } from '../../../platform/auth/roles';
import type { UsersContext } from '../context';
import type { User } from './user.entity';

/** School admins and teachers: they see every member's contact details and guardians. */
const isStaff = (roles: readonly string[]) => isAdmin(roles) || roles.includes(Roles.TEACHER);

/**
 * Who may see what of a user, inside one school (other schools never reach here: the tenant
 * filter hides them). Display name, roles and locale are visible to every member, so that a
 * course can show its teacher and a class its students.
 */
export const userPolicy = {
  /** Email and phone: the person, school admins, teachers, and the person's guardians. */
  async canSeeContact(ctx: UsersContext, target: User): Promise<boolean> {
    const viewer = ctx.user;
    if (!viewer) return false;
    if (viewer.id === target.id || isStaff(viewer.roles)) return true;
    return (await ctx.loaders.guardianIds.load(target.id)).includes(viewer.id);
  },

  /** A parent's children: the parent and school admins. */
  canSeeChildren(ctx: UsersContext, target: User): boolean {
    const viewer = ctx.user;
    return !!viewer && (viewer.id === target.id || isAdmin(viewer.roles));
  },

  /** A student's guardians: the student, school admins, teachers, and the guardians themselves. */
  async canSeeGuardians(ctx: UsersContext, target: User): Promise<boolean> {
    const viewer = ctx.user;
    if (!viewer) return false;
    if (viewer.id === target.id || isStaff(viewer.roles)) return true;
    return (await ctx.loaders.guardianIds.load(target.id)).includes(viewer.id);
  },

  /** Listing the school's people: admins and teachers. */
  canList(ctx: UsersContext): boolean {
    return !!ctx.user && isStaff(ctx.user.roles);
  },
};
