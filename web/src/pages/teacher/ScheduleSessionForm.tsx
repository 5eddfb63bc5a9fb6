import { useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { messages } from './messages';

const TeacherScheduleSession = graphql(`
  mutation TeacherScheduleSession($courseId: ID!, $input: ScheduleLiveSessionInput!) {
    scheduleLiveSession(courseId: $courseId, input: $input) {
      id
      title
    }
  }
`);

type Problem = 'titleRequired' | 'startRequired' | 'startInPast';

/** Title and start (a local date and time, sent as an instant); the server checks the rest and its message is shown. */
export function ScheduleSessionForm({ courseId, onScheduled }: { courseId: string; onScheduled: () => Promise<void> }) {
  const t = useT(messages);
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<string>();
  const { mutate, pending, error } = useMutation(TeacherScheduleSession);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    // datetime-local has no zone: `new Date` reads it in the browser's, which is the teacher's.
    const start = startsAt ? new Date(startsAt) : null;
    const found: Problem | undefined = !title.trim()
      ? 'titleRequired'
      : !start || Number.isNaN(start.getTime())
        ? 'startRequired'
        : start.getTime() <= Date.now()
          ? 'startInPast'
          : undefined;
    setProblem(found);
    if (found) return;
    const data = await mutate({ courseId, input: { title: title.trim(), startsAt: start!.toISOString() } });
    if (!data) return;
    setDone(data.scheduleLiveSession.title);
    setTitle('');
    setStartsAt('');
    await onScheduled();
  };

  return (
    <form className="card" aria-labelledby="schedule-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="schedule-title" style={{ marginBlockStart: 0 }}>
        {t('schedule')}
      </h3>
      <TextField
        label={t('title')}
        name="title"
        required
        maxLength={200}
        value={title}
        aria-invalid={problem === 'titleRequired' || undefined}
        onChange={(e) => setTitle(e.target.value)}
      />
      <TextField
        label={t('startDateTime')}
        hint={t('startHint')}
        name="startsAt"
        type="datetime-local"
        required
        value={startsAt}
        aria-invalid={problem === 'startRequired' || problem === 'startInPast' || undefined}
        onChange={(e) => setStartsAt(e.target.value)}
      />
      {problem && (
        <div className="alert alert-error" role="alert">
          {t(problem)}
        </div>
      )}
      <ErrorMessage error={error} />
      {done && (
        <div className="alert alert-ok" role="status">
          {t('scheduled', { title: done })}
        </div>
      )}
      <button type="submit" className="primary" disabled={pending}>
        {pending ? t('scheduling') : t('scheduleSubmit')}
      </button>
    </form>
  );
}
