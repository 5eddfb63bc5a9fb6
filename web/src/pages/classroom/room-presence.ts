/**
 * Entering and leaving a session's room (joinLiveSession / leaveLiveSession), which is also what
 * records attendance. Calls go one after another: a leave sent while the join before it is still
 * on its way (React mounting twice, a quick back-and-forth) must not be served first and leave
 * the person out of a room they are looking at.
 *
 * A page being unloaded (reload, tab closed) cannot wait for a reply: `leaveOnUnload` sends the
 * leave with `keepalive`, so the browser delivers it after the page is gone, well before a reloaded
 * page joins again (that one first restores its session through /auth/refresh).
 */
import { request } from '../../api/graphql';
import { getSession } from '../../api/session';
import { ClassroomJoin, ClassroomLeave } from './operations';

let chain: Promise<unknown> = Promise.resolve();

function inTurn<T>(call: () => Promise<T>): Promise<T> {
  const next = chain.then(call, call);
  chain = next.catch(() => undefined);
  return next;
}

export const enterRoom = (id: string) => inTurn(() => request(ClassroomJoin, { id }));
export const leaveRoom = (id: string) => inTurn(() => request(ClassroomLeave, { id }));

export function leaveOnUnload(id: string): void {
  const session = getSession();
  if (!session) return;
  void fetch('/graphql', {
    method: 'POST',
    keepalive: true,
    headers: { 'content-type': 'application/json', 'x-tenant-id': session.tenant, authorization: `Bearer ${session.accessToken}` },
    body: JSON.stringify({ query: ClassroomLeave.toString(), variables: { id } }),
  }).catch(() => undefined);
}
