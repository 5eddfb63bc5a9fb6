import type { UsersContext } from '../context';
import { isAdmin, Role } from './role';
import type { User } from './user.entity';

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
    if (viewer.id === target.id || isAdmin(viewer.roles) || viewer.roles.includes(Role.TEACHER)) return true;
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
    if (viewer.id === target.id || isAdmin(viewer.roles) || viewer.roles.includes(Role.TEACHER)) return true;
    return (await ctx.loaders.guardianIds.load(target.id)).includes(viewer.id);
  },

  /** Listing the school's people: admins and teachers. */
  canList(ctx: UsersContext): boolean {
    return !!ctx.user && (isAdmin(ctx.user.roles) || ctx.user.roles.includes(Role.TEACHER));
  },
};
