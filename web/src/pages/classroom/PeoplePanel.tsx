import { useId } from 'react';
import { useMutation } from '../../api/use-query';
import { useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { messages } from './messages';
import { ClassroomLowerHand, ClassroomRaiseHand } from './operations';
import type { Person } from './room-state';

/**
 * Who is in the room and whose hand is up (first raised first). Everyone raises and lowers their
 * own hand; the teacher (and admins) can also lower a student's (`lowerHand(userId)`).
 */
export function PeoplePanel({
  sessionId,
  me,
  participants,
  hands,
  manager,
  canTalk,
}: {
  sessionId: string;
  me: string;
  participants: Person[];
  hands: Person[];
  manager: boolean;
  canTalk: boolean;
}) {
  const t = useT(messages);
  const peopleId = useId();
  const handsId = useId();
  const raise = useMutation(ClassroomRaiseHand);
  const lower = useMutation(ClassroomLowerHand);
  const mine = hands.some((p) => p.id === me);
  return (
    <>
      <section className="card" aria-labelledby={handsId}>
        <h2 id={handsId}>{t('hands', { count: hands.length })}</h2>
        {canTalk && (
          <p className="row">
            <button
              type="button"
              aria-pressed={mine}
              disabled={raise.pending || lower.pending}
              onClick={() => void (mine ? lower.mutate({ sessionId }) : raise.mutate({ sessionId }))}
            >
              <span aria-hidden="true">✋ </span>
              {mine ? t('lowerHand') : t('raiseHand')}
            </button>
            {mine && <span className="muted">{t('handIsUp')}</span>}
          </p>
        )}
        {hands.length === 0 ? (
          <p className="muted">{t('noHands')}</p>
        ) : (
          <ol className="people" aria-label={t('hands', { count: hands.length })} data-testid="raised-hands">
            {hands.map((p) => (
              <li key={p.id} data-user-id={p.id}>
                <span>
                  {p.displayName}
                  {p.id === me && <span className="muted"> {t('you')}</span>}
                </span>
                {manager && p.id !== me && (
                  <button
                    type="button"
                    className="link"
                    disabled={lower.pending}
                    onClick={() => void lower.mutate({ sessionId, userId: p.id })}
                  >
                    {t('lowerHandOf', { name: p.displayName })}
                  </button>
                )}
              </li>
            ))}
          </ol>
        )}
        <ErrorMessage error={raise.error ?? lower.error} />
      </section>
      <section className="card" aria-labelledby={peopleId}>
        <h2 id={peopleId}>{t('participants', { count: participants.length })}</h2>
        {participants.length === 0 ? (
          <p className="muted">{t('noParticipants')}</p>
        ) : (
          <ul className="people" data-testid="participants">
            {participants.map((p) => (
              <li key={p.id} data-user-id={p.id}>
                {p.displayName}
                {p.id === me && <span className="muted"> {t('you')}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
