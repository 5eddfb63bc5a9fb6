import { useId, useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from '../../api/use-query';
import { useSession } from '../../app/use-session';
import type { MessagingAdminRecipientsQuery, MessagingParentRecipientsQuery, MessagingTeacherRecipientsQuery } from '../../gql/graphql';
import { useT, type Translate } from '../../i18n/i18n';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { messagingMessages } from './messages';
import { MessagingAdminRecipients, MessagingParentRecipients, MessagingStart, MessagingTeacherRecipients } from './queries';

interface Recipient {
  id: string;
  displayName: string;
  /** Why they can be written to: "Teacher of Math", "Guardian of Omar". */
  reasons: string[];
}
interface Student {
  id: string;
  displayName: string;
}

/** The people and students the viewer can name, from what the API lets them see (queries.ts). */
function recipientsOf(
  data: { parent?: MessagingParentRecipientsQuery; teacher?: MessagingTeacherRecipientsQuery; admin?: MessagingAdminRecipientsQuery },
  t: Translate<keyof typeof messagingMessages.en>,
) {
  const me = (data.parent ?? data.teacher ?? data.admin)?.me?.id;
  const people = new Map<string, Recipient>();
  const students = new Map<string, Student>();
  const add = (id: string, displayName: string, reason?: string) => {
    if (id === me) return;
    const r = people.get(id) ?? { id, displayName, reasons: [] };
    if (reason && !r.reasons.includes(reason)) r.reasons.push(reason);
    people.set(id, r);
  };
  for (const child of data.parent?.me?.children ?? []) {
    students.set(child.id, child);
    for (const e of child.enrollments) {
      if (e.status !== 'DROPPED') add(e.course.teacher.id, e.course.teacher.displayName, t('teacherOf', { course: e.course.title }));
    }
  }
  for (const course of data.teacher?.me?.teachingCourses ?? []) {
    for (const { node } of course.enrollments.edges) {
      if (node.status === 'DROPPED') continue;
      students.set(node.student.id, node.student);
      for (const g of node.student.guardians) add(g.id, g.displayName, t('guardianOf', { student: node.student.displayName }));
    }
  }
  for (const { node } of data.admin?.users.edges ?? []) {
    if (node.roles.includes('STUDENT')) students.set(node.id, node);
    add(node.id, node.displayName);
  }
  const byName = (a: { displayName: string }, b: { displayName: string }) => a.displayName.localeCompare(b.displayName);
  return { people: [...people.values()].sort(byName), students: [...students.values()].sort(byName) };
}

/** A new conversation: whom to write to (checkboxes), about which student (optional), subject and first message. */
export function StartConversation({ onCancel }: { onCancel: () => void }) {
  const t = useT(messagingMessages);
  const id = useId();
  const navigate = useNavigate();
  const roles = useSession()?.user.roles ?? [];
  const parent = useQuery(MessagingParentRecipients, {}, { skip: !roles.includes('PARENT') });
  const teacher = useQuery(MessagingTeacherRecipients, {}, { skip: !roles.includes('TEACHER') });
  const admin = useQuery(MessagingAdminRecipients, {}, { skip: !roles.includes('SCHOOL_ADMIN') });
  const loading = parent.loading || teacher.loading || admin.loading;
  const error = parent.error ?? teacher.error ?? admin.error;
  const retry = () => void Promise.all([parent, teacher, admin].filter((q) => q.error).map((q) => q.refetch()));
  const { people, students } = useMemo(
    () => recipientsOf({ parent: parent.data, teacher: teacher.data, admin: admin.data }, t),
    [parent.data, teacher.data, admin.data, t],
  );
  const [chosen, setChosen] = useState<string[]>([]);
  const [studentId, setStudentId] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const start = useMutation(MessagingStart);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await start.mutate({ participantIds: chosen, subject: subject.trim(), body: body.trim(), studentId: studentId || null });
    if (result) void navigate(`/messages/${result.startConversation.id}`);
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('newConversationHeading')}</h2>
      {loading && people.length === 0 ? (
        <Loading />
      ) : error && people.length === 0 ? (
        <ErrorMessage error={error} onRetry={retry} />
      ) : people.length === 0 ? (
        <>
          <p className="muted">{t('noRecipients')}</p>
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <fieldset style={{ border: 'none', padding: 0, margin: '0 0 0.75rem' }} aria-describedby={`${id}-hint`}>
            <legend style={{ fontWeight: 600 }}>{t('participants')}</legend>
            <small id={`${id}-hint`} className="muted">
              {t('participantsHint')}
            </small>
            <ul style={{ listStyle: 'none', padding: 0, margin: '0.25rem 0 0', maxHeight: '16rem', overflowY: 'auto' }}>
              {people.map((p) => (
                <li key={p.id}>
                  <input
                    type="checkbox"
                    id={`${id}-p-${p.id}`}
                    checked={chosen.includes(p.id)}
                    disabled={!chosen.includes(p.id) && chosen.length >= 10}
                    onChange={(e) => setChosen((c) => (e.target.checked ? [...c, p.id] : c.filter((x) => x !== p.id)))}
                  />{' '}
                  <label htmlFor={`${id}-p-${p.id}`}>{p.displayName}</label>
                  {p.reasons.length > 0 && <small className="muted"> — {p.reasons.join(' · ')}</small>}
                </li>
              ))}
            </ul>
          </fieldset>
          {students.length > 0 && (
            <div className="field">
              <label htmlFor={`${id}-student`}>{t('aboutStudent')}</label>
              <select id={`${id}-student`} value={studentId} onChange={(e) => setStudentId(e.target.value)}>
                <option value="">{t('noStudent')}</option>
                {students.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.displayName}
                  </option>
                ))}
              </select>
            </div>
          )}
          <TextField label={t('subject')} required maxLength={200} value={subject} onChange={(e) => setSubject(e.target.value)} />
          <div className="field">
            <label htmlFor={`${id}-body`}>{t('firstMessage')}</label>
            <textarea id={`${id}-body`} required rows={4} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} />
          </div>
          <ErrorMessage error={start.error} />
          <div className="row">
            <button type="submit" className="primary" disabled={start.pending || chosen.length === 0}>
              {start.pending ? t('starting') : t('start')}
            </button>
            <button type="button" onClick={onCancel}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
