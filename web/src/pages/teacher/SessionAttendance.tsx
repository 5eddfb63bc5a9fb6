import { useQuery } from '../../api/use-query';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { messages } from './messages';

const TeacherSessionAttendance = graphql(`
  query TeacherSessionAttendance($id: ID!) {
    liveSession(id: $id) {
      id
      attendance {
        status
        firstJoinedAt
        totalSeconds
        student {
          id
          displayName
        }
      }
    }
  }
`);

/** Who came to an ended session, when, and for how long (ABSENT records are filled in when it ends). */
export function SessionAttendance({ sessionId, title }: { sessionId: string; title: string }) {
  const t = useT(messages);
  const f = useFormat();
  const { data, error, loading, refetch } = useQuery(TeacherSessionAttendance, { id: sessionId });
  if (loading && !data) return <Loading />;
  const rows = [...(data?.liveSession?.attendance ?? [])].sort((a, b) => a.student.displayName.localeCompare(b.student.displayName));
  return (
    <div>
      <ErrorMessage error={error} onRetry={() => void refetch()} />
      {rows.length === 0 && !error ? (
        <Empty>{t('noAttendance')}</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <caption style={{ textAlign: 'start', fontWeight: 600 }}>{t('attendanceOf', { title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('student')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('minutes')}</th>
                <th scope="col">{t('firstJoined')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.student.id}>
                  <td>{a.student.displayName}</td>
                  <td>
                    <span className="badge">{t(`attendance${a.status}`)}</span>
                  </td>
                  <td>{f.number(Math.round(a.totalSeconds / 60))}</td>
                  <td>{f.time(a.firstJoinedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
