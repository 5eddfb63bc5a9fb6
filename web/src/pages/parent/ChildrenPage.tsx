import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';
import { useFormat, useT } from '../../i18n/i18n';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { messages } from './messages';
import { PairForm } from './PairForm';
import { ParentChildren } from './queries';
import { averageProgress, currentEnrollments } from './progress';
import { useDocumentTitle } from './ui';

/** `/parent`: the linked children, each a card linking to their record; the pairing form to link one (more). */
export function ChildrenPage() {
  const t = useT(messages);
  const f = useFormat();
  const { data, error, loading, refetch } = useQuery(ParentChildren);
  const children = data?.me?.children ?? [];
  useDocumentTitle(t('childrenTitle'));
  // A child just linked reaches the courses service a moment later (an event): until then it refuses
  // their enrollments (FORBIDDEN). Ask again a few times before showing that as an error.
  const [settling, setSettling] = useState(0);
  const waiting = error?.code === 'FORBIDDEN' && settling < 5;
  useEffect(() => {
    if (!waiting || loading) return;
    const timer = setTimeout(() => {
      setSettling((n) => n + 1);
      void refetch();
    }, 1000);
    return () => clearTimeout(timer);
  }, [waiting, loading, refetch]);
  const [linked, setLinked] = useState<string>();
  const paired = (name: string) => {
    setLinked(name);
    setSettling(0);
    return refetch();
  };
  return (
    <section aria-labelledby="parent-children-title">
      <h1 id="parent-children-title">{t('childrenTitle')}</h1>
      <p className="muted">{t('childrenIntro')}</p>
      {linked && (
        <div className="alert alert-ok" role="status">
          {t('pairDone', { name: linked })}
        </div>
      )}
      {loading && !data && <Loading />}
      {waiting ? (
        <p className="muted" role="status">
          {t('linking')}
        </p>
      ) : (
        <ErrorMessage error={error} onRetry={() => void refetch()} />
      )}
      {data && children.length === 0 && (
        <section className="card" aria-labelledby="parent-pair-title">
          <h2 id="parent-pair-title">{t('noChildrenTitle')}</h2>
          <p>{t('noChildrenHelp')}</p>
          <PairForm onPaired={paired} />
        </section>
      )}
      {children.length > 0 && (
        <>
          <ul className="grid" style={{ listStyle: 'none', padding: 0 }} aria-labelledby="parent-children-title">
            {children.map((child) => {
              const courses = currentEnrollments(child.enrollments);
              const average = averageProgress(courses);
              return (
                <li key={child.id} className="card">
                  <h2>
                    <Link to={`/parent/children/${child.id}`}>{child.displayName}</Link>
                  </h2>
                  <p>{t('courseCount', { count: courses.length })}</p>
                  {average == null ? (
                    <p className="muted">{t('noCourses')}</p>
                  ) : (
                    <p>
                      <span>{t('averageProgress', { percent: f.percent(average) })}</span>
                      <br />
                      <progress value={average} max={1} aria-label={t('averageProgress', { percent: f.percent(average) })} />
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
          <details className="card">
            <summary>{t('linkAnother')}</summary>
            <PairForm onPaired={paired} />
          </details>
        </>
      )}
    </section>
  );
}
