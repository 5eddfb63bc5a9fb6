import type { AuthChecker } from 'type-graphql';
import { forbidden, unauthenticated } from '../errors';
import type { SubgraphContext } from './subgraph-server';

/**
 * type-graphql's `@Authorized(...roles)`: no user → UNAUTHENTICATED; a user without any of the
 * roles → FORBIDDEN (type-graphql's own error says UNAUTHORIZED, which is not one of our codes).
 * Object-level checks (own course, own child) live in the services.
 */
export const authChecker: AuthChecker<SubgraphContext> = ({ context }, roles) => {
  if (!context.user) throw unauthenticated();
  if (roles.length && !roles.some((r) => context.user!.roles.includes(r))) {
    throw forbidden(`Requires one of the roles: ${roles.join(', ')}`);
  }
  return true;
};

export function requireUser(ctx: Pick<SubgraphContext, 'user'>): NonNullable<SubgraphContext['user']> {
  if (!ctx.user) throw unauthenticated();
  return ctx.user;
}

export function requireTenant(ctx: Pick<SubgraphContext, 'tenant'>): NonNullable<SubgraphContext['tenant']> {
  if (!ctx.tenant) throw unauthenticated('A school (tenant) is required');
  return ctx.tenant;
}
