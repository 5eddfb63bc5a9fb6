/**
 * The role names of the signed contexts (access-token `roles` claim, gateway-signed internal
 * context). The users subgraph owns who has which role; every service reads these strings.
 */
export const Roles = {
  PLATFORM_ADMIN: 'PLATFORM_ADMIN',
  SCHOOL_ADMIN: 'SCHOOL_ADMIN',
  TEACHER: 'TEACHER',
  STUDENT: 'STUDENT',
  PARENT: 'PARENT',
} as const;

export type RoleName = (typeof Roles)[keyof typeof Roles];

/** Roles that administer a whole school. */
export const ADMIN_ROLES: readonly RoleName[] = [Roles.PLATFORM_ADMIN, Roles.SCHOOL_ADMIN];

export const isAdmin = (roles: readonly string[]) => roles.some((r) => (ADMIN_ROLES as readonly string[]).includes(r));
