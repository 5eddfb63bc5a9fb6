import { outboxEntities } from '../../platform/outbox/outbox';
import { assemble } from '../../platform/subgraph/feature';
import { accountFeature } from './account/account.feature';
import { authFeature } from './auth/auth.feature';
import type { UsersLoaders } from './context';
import { guardianFeature } from './guardian/guardian.feature';
import { invitationFeature } from './invitation/invitation.feature';
import { schoolFeature } from './school/school.feature';
import { userFeature } from './user/user.feature';

/** The users subgraph, feature by feature (parents first); its schema, entities and loaders come from here. */
export const features = [schoolFeature, userFeature, authFeature, invitationFeature, guardianFeature, accountFeature] as const;

export const users = assemble(features);

/** Every table of the subgraph: its features' and the outbox's. */
export const entities = [...users.entities, ...outboxEntities];

/** Per-request loaders; typed so that a loader a feature declares (context.ts) but none provides fails to compile. */
export const createLoaders: (...args: Parameters<typeof users.createLoaders>) => UsersLoaders = users.createLoaders;
