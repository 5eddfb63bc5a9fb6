import type { Feature } from '../../../platform/subgraph/feature';
import { AccountResolver } from './account.resolver';
import { PasswordReset } from './password-reset.entity';

/**
 * What people manage about their account (profile, password, reset by email) and what school
 * admins manage about people's (deactivation, roles). Extends user and auth: imports point there.
 */
export const accountFeature = {
  entities: [PasswordReset],
  resolvers: [AccountResolver],
} satisfies Feature;
