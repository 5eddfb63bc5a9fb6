import type { Feature } from '../../../platform/subgraph/feature';
import { Invitation } from './invitation.entity';
import { InvitationResolver } from './invitation.resolver';

/** Invitations an admin sends and a newcomer accepts. */
export const invitationFeature = {
  entities: [Invitation],
  resolvers: [InvitationResolver],
} satisfies Feature;
