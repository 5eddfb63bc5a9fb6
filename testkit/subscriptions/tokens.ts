import { keySetFromJwks } from '../../platform/auth/keys';
import { DEMO } from '../../platform/demo';
import { uniqueName } from '../services';
import type { Stack } from '../stack';
import { createAccessTokenIssuer } from '../../platform/auth/access-token';

export interface TokenClaims {
  userId: string;
  roles: string[];
  school?: keyof typeof DEMO.schools;
  sessionId?: string;
}

/**
 * Access tokens signed with the stack's key, as the users subgraph issues them at login: for
 * crowds of subscribers (the user need not exist) and for short lifetimes.
 */
export async function tokenIssuer(stack: Stack) {
  const keys = await keySetFromJwks(JSON.parse(stack.keys.access));
  return async (claims: TokenClaims, ttlSeconds = 900): Promise<string> => {
    const school = DEMO.schools[claims.school ?? 'demo'];
    const issue = createAccessTokenIssuer(keys, ttlSeconds);
    const { token } = await issue({
      userId: claims.userId,
      roles: claims.roles,
      schoolId: school.id,
      schoolSlug: school.slug,
      sessionId: claims.sessionId ?? uniqueName('sid'),
    });
    return token;
  };
}
