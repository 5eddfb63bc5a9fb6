import { DeliveryStatus, Notification } from '../notification/notification.entity';
import { applyStatus, canMove, fromTwilioStatus } from './status';

const S = DeliveryStatus;
const ALL = Object.values(DeliveryStatus);

/** Every allowed move, written out: anything not listed must be refused. */
const ALLOWED: Record<DeliveryStatus, DeliveryStatus[]> = {
  SCHEDULED: [S.QUEUED, S.SENT, S.DELIVERED, S.READ, S.CANCELED],
  QUEUED: [S.SENT, S.DELIVERED, S.READ, S.FAILED, S.CANCELED],
  SENT: [S.DELIVERED, S.READ, S.FAILED],
  DELIVERED: [S.READ],
  READ: [],
  FAILED: [],
  CANCELED: [],
};

const notification = (status: DeliveryStatus, extra: Partial<Notification> = {}) =>
  Object.assign(new Notification(), { status, sealed: 'v1.secret', ...extra }) as Notification;

describe('delivery status transitions (forward only)', () => {
  for (const from of ALL) {
    for (const to of ALL) {
      const allowed = ALLOWED[from].includes(to);
      it(`${from} → ${to}: ${allowed ? 'moves' : 'no change'}`, () => {
        expect(canMove(from, to)).toBe(allowed);
        const n = notification(from);
        const at = new Date('2026-12-07T10:00:00Z');
        expect(applyStatus(n, to, at, 'E: x')).toBe(allowed);
        expect(n.status).toBe(allowed ? to : from);
        if (!allowed) {
          // Nothing else changes either: no time stamped, secrets kept.
          expect(n).toEqual(notification(from, { id: n.id, createdAt: n.createdAt, updatedAt: n.updatedAt }));
        }
      });
    }
  }

  it('fills the times a skipped report implies, and keeps those already set', () => {
    const sentAt = new Date('2026-12-07T09:00:00Z');
    const at = new Date('2026-12-07T10:00:00Z');
    const read = notification(S.QUEUED);
    applyStatus(read, S.READ, at);
    expect(read).toMatchObject({ sentAt: at, deliveredAt: at, readAt: at });

    const delivered = notification(S.SENT, { sentAt });
    applyStatus(delivered, S.DELIVERED, at);
    expect(delivered).toMatchObject({ sentAt, deliveredAt: at });
    expect(delivered.readAt).toBeUndefined();
  });

  it('erases the sealed secrets once the notification went out or was given up, not before', () => {
    const queued = notification(S.SCHEDULED);
    applyStatus(queued, S.QUEUED, new Date());
    expect(queued.sealed).toBe('v1.secret');
    for (const to of [S.SENT, S.DELIVERED, S.FAILED, S.CANCELED]) {
      const n = notification(S.QUEUED);
      applyStatus(n, to, new Date());
      expect(n.sealed ?? null).toBeNull();
    }
  });

  it('records the error of a failure, truncated to the column', () => {
    const n = notification(S.SENT);
    applyStatus(n, S.FAILED, new Date(), `30003: ${'x'.repeat(2000)}`);
    expect(n.error).toHaveLength(1000);
    expect(n.error!.startsWith('30003: ')).toBe(true);
  });
});

describe("Twilio's MessageStatus", () => {
  it.each([
    ['queued', S.SENT],
    ['accepted', S.SENT],
    ['sending', S.SENT],
    ['sent', S.SENT],
    ['delivered', S.DELIVERED],
    ['read', S.READ],
    ['SENT', S.SENT],
  ])('%s → %s', (twilio, ours) => {
    expect(fromTwilioStatus(twilio)).toEqual({ status: ours });
  });

  it.each(['failed', 'undelivered'])('%s → FAILED with the ErrorCode', (twilio) => {
    expect(fromTwilioStatus(twilio, '30003')).toEqual({ status: S.FAILED, error: `Twilio 30003: message ${twilio}` });
    expect(fromTwilioStatus(twilio)).toEqual({ status: S.FAILED, error: `Twilio: message ${twilio}` });
  });

  it.each(['receiving', 'received', 'scheduled', 'something-new', '', undefined])('%s is not ours to act on', (twilio) => {
    expect(fromTwilioStatus(twilio)).toBeUndefined();
  });

  it('a late `sent` after `delivered` changes nothing', () => {
    const n = notification(S.DELIVERED);
    expect(applyStatus(n, fromTwilioStatus('sent')!.status, new Date())).toBe(false);
    expect(n.status).toBe(S.DELIVERED);
  });
});
