import type { EntityManager } from '@mikro-orm/core';
import { ProcessedMessage } from '../../../platform/outbox/outbox';
import { Channel, DeliveryStatus, Notification } from '../notification/notification.entity';
import { formatDateTime, toLocale } from './format';
import { isEvent, reaction, type ReactionDeps } from './reaction';
import { contactsById } from './recipients';

/** The source of an invitation's email: by invitation, so that its revocation finds it. */
const invitationSource = (invitationId: string) => `invitation:${invitationId}`;

/**
 * Its email still waiting (SCHEDULED, or QUEUED but not yet claimed by a worker) is CANCELED and
 * its sealed token erased, in one UPDATE; one a worker has claimed is already on its way.
 */
function cancelInvitation(tx: EntityManager, schoolId: string, invitationId: string): Promise<number> {
  return tx.nativeUpdate(
    Notification,
    {
      schoolId,
      dedupeKey: { $like: `${invitationSource(invitationId)}:%` },
      status: { $in: [DeliveryStatus.SCHEDULED, DeliveryStatus.QUEUED] },
      claimedAt: null,
    },
    { status: DeliveryStatus.CANCELED, sealed: null, updatedAt: new Date() },
  );
}

/**
 * Revoked invitations, remembered (as processed ids of this name) so that an `invitation.created`
 * handled after its revocation (its first delivery failed and was retried) sends nothing. Kept as
 * long as processed ids are (PROCESSED_MESSAGE_RETENTION_HOURS), longer than an invitation lives.
 */
const REVOKED = 'messaging.invitations.revoked';

/**
 * `invitation.created` → an email to the invitee, who has no account yet, in the inviter's
 * language: the token and the link that carries it are secret variables (sealed until sent, never
 * logged). `invitation.revoked` → that email canceled if it has not gone out.
 */
export const invitationConsumer = ({ notify, config }: ReactionDeps) =>
  reaction('messaging.invitations', ['invitation.created', 'invitation.revoked'], async (tx, event) => {
    if (isEvent(event, 'invitation.revoked')) {
      await cancelInvitation(tx, event.tenantId, event.payload.invitationId);
      const revoked = { consumer: REVOKED, messageId: event.payload.invitationId };
      if (!(await tx.count(ProcessedMessage, revoked))) await tx.insert(ProcessedMessage, { ...revoked, processedAt: new Date() });
      return;
    }
    if (!isEvent(event, 'invitation.created')) return;
    const p = event.payload;
    if (await tx.count(ProcessedMessage, { consumer: REVOKED, messageId: p.invitationId })) return;
    const inviter = (await contactsById(tx, [p.invitedById])).get(p.invitedById);
    const locale = toLocale(inviter?.locale);
    await notify(tx, {
      schoolId: event.tenantId,
      category: 'account',
      templateKey: 'account.invitation',
      channels: [Channel.EMAIL],
      recipients: [{ email: p.email, locale, name: p.displayName }],
      variables: {
        name: p.displayName,
        inviterName: inviter?.displayName ?? (locale === 'AR' ? 'إدارة المدرسة' : 'your school'),
        expiresAt: formatDateTime(p.expiresAt, locale),
        invitationId: p.invitationId,
      },
      secretVariables: { token: p.token, link: `${config.publicUrl}/invitation?token=${encodeURIComponent(p.token)}` },
      source: invitationSource(p.invitationId),
    });
  });
