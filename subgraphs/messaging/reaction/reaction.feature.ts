import type { ConsumerDefinition, Feature } from '../../../platform/subgraph/feature';
import { attendanceConsumer } from './attendance.consumer';
import { enrollmentWelcomeConsumer } from './enrollment.consumer';
import { invitationConsumer } from './invitation.consumer';
import { LiveSessionInfo } from './live-session-info.entity';
import { liveSessionConsumer } from './live-session.consumer';
import { pairingCodeConsumer } from './pairing.consumer';
import { passwordConsumer } from './password.consumer';
import { paymentReceiptConsumer } from './payment.consumer';
import type { ReactionDeps } from './reaction';
import { quizResultConsumer } from './quiz.consumer';

/**
 * Reactions: the domain events of the other subgraphs that notify people (receipts, welcomes,
 * live-session reminders and notices, absences, quiz results, invitations, reset links, security
 * notices). The feature owns the live sessions read model; its consumers need `notify` and the
 * configuration, made when the service starts, so app.ts wires them (`reactionConsumers`).
 */
export const reactionFeature = {
  entities: [LiveSessionInfo],
} satisfies Feature;

/** Every reaction consumer, each on its own queue `messaging.<name>`. */
export const reactionConsumers = (deps: ReactionDeps): ConsumerDefinition[] => [
  paymentReceiptConsumer(deps),
  enrollmentWelcomeConsumer(deps),
  liveSessionConsumer(deps),
  attendanceConsumer(deps),
  quizResultConsumer(deps),
  invitationConsumer(deps),
  pairingCodeConsumer(deps),
  passwordConsumer(deps),
];
