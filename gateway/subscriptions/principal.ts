import type { InternalContext } from '../../platform/auth/internal-context';
import { groupPrincipalId, type Sharing } from '../../platform/graphql/subscription-protocol';
import type { AuthenticatedUser } from '../edge/access-token';
import { internalContextOf } from '../edge/context';
import type { Tenant } from '../edge/tenant';

/** Who opened a WebSocket: decided once from its `connection_init`. */
export interface Viewer {
  tenant: Tenant;
  user?: AuthenticatedUser;
  ip: string;
}

/**
 * The identity a group's feed and per-event fields are resolved as, and the authorization
 * scope that decides which clients may share a group: two clients share only when their
 * principals have the same key (and their operation and variables are the same).
 */
export interface Principal {
  key: string;
  context: InternalContext;
}

/** The client's own identity, for its admission (and as the member a group's stream is authorized as). */
export function viewerContext(viewer: Viewer, requestId: string): InternalContext {
  return internalContextOf({ ...viewer, requestId });
}

/**
 * The scope a client is grouped under, given how the owning subgraph said its feed may be shared.
 *
 * `role`: the school and the sorted set of roles, and nothing personal. The principal carries a
 * synthetic user id (`group:STUDENT`), so a resolver that decides from the viewer's identity
 * (is this my email? am I this student's guardian? am I enrolled?) answers as for nobody in
 * particular: every member gets what any member with those roles may see, never what only one
 * of them may see. 200 students of a class share one group; the class's teacher, a guardian
 * or an admin land in their own (different roles), so their wider rights stay theirs.
 *
 * `viewer`: the person and login session; a group is then one person's identical subscriptions.
 */
export function principalFor(viewer: Viewer, sharing: Sharing): Principal {
  const { tenant, user } = viewer;
  if (!user) return { key: `${tenant.id}|anonymous`, context: { tenant } };
  if (sharing === 'viewer') {
    return {
      key: `${tenant.id}|user:${user.id}|session:${user.sessionId ?? ''}|${[...user.roles].sort().join('+')}`,
      context: internalContextOf({ tenant, user }),
    };
  }
  const roles = [...new Set(user.roles)].sort();
  return { key: `${tenant.id}|roles:${roles.join('+')}`, context: { tenant, user: { id: groupPrincipalId(roles), roles } } };
}
