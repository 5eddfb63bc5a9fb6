import { useState, type ReactNode } from 'react';
import { useQuery } from '../../api/use-query';
import { graphql } from '../../gql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { messages } from './messages';

/** 50 a page: more in one request goes past the gateway's cost limit. */
const PAGE = 50;

const TeacherCourseRoster = graphql(`
  query TeacherCourseRoster($id: ID!, $first: Int!, $after: String) {
    course(id: $id) {
      id
      enrollments(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            status
            progress
            student {
              id
              displayName
            }
          }
        }
      }
    }
  }
`);

/** The course's students, a page at a time ("Show more" appends the next one). */
export function CourseRoster({ courseId }: { courseId: string }) {
  const t = useT(messages);
  // The cursor each loaded page starts after (null: the first page).
  const [pages, setPages] = useState<(string | null)[]>([null]);
  return (
    <div className="table-scroll card">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('student')}</th>
            <th scope="col">{t('progress')}</th>
            <th scope="col">{t('status')}</th>
          </tr>
        </thead>
        {pages.map((after, i) => (
          <RosterPage
            key={after ?? ''}
            courseId={courseId}
            after={after}
            last={i === pages.length - 1}
            onMore={(cursor) => setPages((p) => [...p, cursor])}
          />
        ))}
      </table>
    </div>
  );
}

function RosterPage({
  courseId,
  after,
  last,
  onMore,
}: {
  courseId: string;
  after: string | null;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const t = useT(messages);
  const f = useFormat();
  const { data, error, loading, refetch } = useQuery(TeacherCourseRoster, { id: courseId, first: PAGE, after });
  const connection = data?.course?.enrollments;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const note = (content: ReactNode) => (
    <tr>
      <td colSpan={3}>{content}</td>
    </tr>
  );
  return (
    <tbody>
      {loading && !data && note(<Loading />)}
      {error && note(<ErrorMessage error={error} onRetry={() => void refetch()} />)}
      {data && after === null && rows.length === 0 && note(<Empty>{t('noStudents')}</Empty>)}
      {rows.map((e) => (
        <tr key={e.id}>
          <td>{e.student.displayName}</td>
          <td>
            <div className="row" style={{ flexWrap: 'nowrap' }}>
              <progress
                max={1}
                value={e.progress}
                aria-label={`${t('progress')}: ${e.student.displayName}`}
                style={{ minInlineSize: '5rem' }}
              />
              <span>{f.percent(e.progress)}</span>
            </div>
          </td>
          <td>
            <span className="badge">{t(`enrollment${e.status}`)}</span>
          </td>
        </tr>
      ))}
      {last &&
        connection?.pageInfo.hasNextPage &&
        connection.pageInfo.endCursor &&
        note(
          <button type="button" onClick={() => onMore(connection.pageInfo.endCursor!)}>
            {t('showMore')}
          </button>,
        )}
    </tbody>
  );
}
