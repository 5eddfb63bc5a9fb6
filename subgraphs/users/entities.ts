import { outboxEntities } from '../../platform/outbox/outbox';
import { RefreshToken } from './auth/refresh-token.entity';
import { GuardianLink } from './guardian/guardian-link.entity';
import { PairingCode } from './guardian/pairing-code.entity';
import { Invitation } from './invitation/invitation.entity';
import { School } from './school/school.entity';
import { User } from './user/user.entity';

export const entities = [School, User, GuardianLink, PairingCode, Invitation, RefreshToken, ...outboxEntities];
