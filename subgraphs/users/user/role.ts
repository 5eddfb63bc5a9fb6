import { registerEnumType } from 'type-graphql';

export enum Role {
  PLATFORM_ADMIN = 'PLATFORM_ADMIN',
  SCHOOL_ADMIN = 'SCHOOL_ADMIN',
  TEACHER = 'TEACHER',
  STUDENT = 'STUDENT',
  PARENT = 'PARENT',
}
registerEnumType(Role, { name: 'Role' });

export enum Locale {
  AR = 'AR',
  EN = 'EN',
}
registerEnumType(Locale, { name: 'Locale' });

/** Roles that administer a whole school. */
export const ADMIN_ROLES: readonly Role[] = [Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN];

export const isAdmin = (roles: readonly string[]) => roles.some((r) => (ADMIN_ROLES as string[]).includes(r));
