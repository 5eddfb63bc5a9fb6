import { DeliveryStatus, type Notification } from '../notification/notification.entity';

/**
 * Where a notification may go from where it stands. Providers report out of order and more than
 * once (Twilio's callbacks, a worker's outcome racing a callback), so every change goes through
 * here and only ever moves forward: SCHEDULED < QUEUED < SENT < DELIVERED < READ. FAILED comes
 * only from QUEUED or SENT (a message reported delivered did reach the person, whatever a late
 * `undelivered` says); CANCELED only before the message went out. READ, FAILED and CANCELED are
 * final.
 */
const RANK: Partial<Record<DeliveryStatus, number>> = {
  [DeliveryStatus.SCHEDULED]: 0,
  [DeliveryStatus.QUEUED]: 1,
  [DeliveryStatus.SENT]: 2,
  [DeliveryStatus.DELIVERED]: 3,
  [DeliveryStatus.READ]: 4,
};

const FINAL = new Set([DeliveryStatus.READ, DeliveryStatus.FAILED, DeliveryStatus.CANCELED]);

export function canMove(from: DeliveryStatus, to: DeliveryStatus): boolean {
  if (FINAL.has(from)) return false;
  if (to === DeliveryStatus.FAILED) return from === DeliveryStatus.QUEUED || from === DeliveryStatus.SENT;
  if (to === DeliveryStatus.CANCELED) return from === DeliveryStatus.SCHEDULED || from === DeliveryStatus.QUEUED;
  return RANK[to]! > RANK[from]!;
}

/**
 * Moves `notification` to `to` if that is forward (canMove), stamping the times the move implies
 * (a `delivered` that arrives before any `sent` also fills `sentAt`), and erasing the sealed secrets
 * once nothing will send it again. Returns whether it moved; a repeated or late status is a no-op.
 */
export function applyStatus(notification: Notification, to: DeliveryStatus, at: Date, error?: string): boolean {
  if (!canMove(notification.status, to)) return false;
  notification.status = to;
  // What was read was delivered, and what was delivered was sent: a skipped report fills its time.
  const rank = RANK[to];
  if (rank !== undefined && rank >= RANK[DeliveryStatus.SENT]!) notification.sentAt ??= at;
  if (rank !== undefined && rank >= RANK[DeliveryStatus.DELIVERED]!) notification.deliveredAt ??= at;
  if (to === DeliveryStatus.READ) notification.readAt ??= at;
  if (to === DeliveryStatus.FAILED && error) notification.error = error.slice(0, 1000);
  if (to !== DeliveryStatus.SCHEDULED && to !== DeliveryStatus.QUEUED) {
    (notification as { sealed?: string | null }).sealed = null;
    // The outcome is known: no attempt is left to check at the provider.
    (notification as { unsettledSince?: Date | null }).unsettledSince = null;
  }
  return true;
}

/** A provider's report translated to ours; `error` for failures ("<code>: <text>"). */
export interface StatusReport {
  status: DeliveryStatus;
  error?: string;
}

/**
 * Twilio's `MessageStatus` (the Message resource's status enum) as a delivery status. The states a
 * message passes through at Twilio before the carrier (queued, accepted, sending, sent) all mean
 * "the provider took it": SENT. Statuses of inbound messages (receiving, received), `scheduled`
 * and any status Twilio adds later are not ours to act on: undefined, and the callback changes
 * nothing.
 */
export function fromTwilioStatus(messageStatus: string | undefined, errorCode?: string): StatusReport | undefined {
  switch (messageStatus?.toLowerCase()) {
    case 'queued':
    case 'accepted':
    case 'sending':
    case 'sent':
      return { status: DeliveryStatus.SENT };
    case 'delivered':
    case 'partially_delivered':
      return { status: DeliveryStatus.DELIVERED };
    case 'read':
      return { status: DeliveryStatus.READ };
    case 'failed':
    case 'undelivered':
    case 'canceled':
      return {
        status: DeliveryStatus.FAILED,
        error: `${errorCode ? `Twilio ${errorCode}` : 'Twilio'}: message ${messageStatus.toLowerCase()}`,
      };
    default:
      return undefined;
  }
}
