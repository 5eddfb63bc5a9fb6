import { useId } from 'react';
import type { ApiError } from '../../api/errors';
import type { ClassroomAttendanceQuery } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { messages } from './messages';

type Attendance = NonNullable<ClassroomAttendanceQuery['liveSession']>['attendance'];

/** The teacher's attendance list: kept current while the session runs; ABSENT rows appear when it ends. */
export function AttendancePanel({ attendance, error, onRetry }: { attendance: Attendance; error?: ApiError; onRetry: () => void }) {
  const t = useT(messages);
  const f = useFormat();
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('attendance')}</h2>
      <ErrorMessage error={error} onRetry={onRetry} />
      {attendance.length === 0 ? (
        <p className="muted">{t('noAttendance')}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="attendance">
            <thead>
              <tr>
                <th scope="col">{t('student')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('firstJoined')}</th>
                <th scope="col">{t('timeInRoom')}</th>
              </tr>
            </thead>
            <tbody>
              {attendance.map((a) => (
                <tr key={a.student.id} data-user-id={a.student.id}>
                  <th scope="row">{a.student.displayName}</th>
                  <td>{t(`attendance${a.status}`)}</td>
                  <td>{f.time(a.firstJoinedAt)}</td>
                  <td>{t('minutes', { count: Math.round(a.totalSeconds / 60) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
