import { forbidden } from '../../platform/errors';
import { requireTenant, requireUser } from '../../platform/graphql/auth-checker';
import type { SubgraphContext } from '../../platform/graphql/subgraph-server';

/**
 * The role names of the gateway-signed context (owned by the users subgraph). Repeated here as
 * strings rather than imported, so this subgraph depends on the signed contract, not on users' code.
 */
const Roles = {
  PLATFORM_ADMIN: 'PLATFORM_ADMIN',
  SCHOOL_ADMIN: 'SCHOOL_ADMIN',
  TEACHER: 'TEACHER',
  STUDENT: 'STUDENT',
  PARENT: 'PARENT',
} as const;

export interface Viewer {
  id: string;
  schoolId: string;
  isAdmin: boolean;
  isTeacher: boolean;
  isStudent: boolean;
  isParent: boolean;
}

/** The signed-in person of this school, or UNAUTHENTICATED. */
export function viewerOf(ctx: Pick<SubgraphContext, 'user' | 'tenant'>): Viewer {
  const user = requireUser(ctx);
  const tenant = requireTenant(ctx);
  return {
    id: user.id,
    schoolId: tenant.id,
    isAdmin: user.roles.includes(Roles.SCHOOL_ADMIN) || user.roles.includes(Roles.PLATFORM_ADMIN),
    isTeacher: user.roles.includes(Roles.TEACHER),
    isStudent: user.roles.includes(Roles.STUDENT),
    isParent: user.roles.includes(Roles.PARENT),
  };
}

/** Like viewerOf, for fields that answer null (not an error) to anonymous callers. */
export function optionalViewer(ctx: Pick<SubgraphContext, 'user' | 'tenant'>): Viewer | undefined {
  return ctx.user && ctx.tenant ? viewerOf(ctx) : undefined;
}

export function requireStudent(viewer: Viewer): void {
  if (!viewer.isStudent) throw forbidden('Only students can do this');
}
