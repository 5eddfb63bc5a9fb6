import { forbidden } from '../errors';
import { requireTenant, requireUser } from '../graphql/auth-checker';
import type { SubgraphContext } from '../graphql/subgraph-server';
import { isAdmin, Roles } from './roles';

/** The signed-in person of a request, with what their roles (from the signed context) make them. */
export interface Viewer {
  id: string;
  schoolId: string;
  /** A school admin or a platform admin. */
  isAdmin: boolean;
  isPlatformAdmin: boolean;
  isTeacher: boolean;
  isStudent: boolean;
  isParent: boolean;
}

/** The signed-in person of this school, or UNAUTHENTICATED (no user first, then no school). */
export function viewerOf(ctx: Pick<SubgraphContext, 'user' | 'tenant'>): Viewer {
  const user = requireUser(ctx);
  const tenant = requireTenant(ctx);
  return {
    id: user.id,
    schoolId: tenant.id,
    isAdmin: isAdmin(user.roles),
    isPlatformAdmin: user.roles.includes(Roles.PLATFORM_ADMIN),
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
