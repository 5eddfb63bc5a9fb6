import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/errors';
import { lastTenant, signIn } from '../../api/session';
import { homeOf, useSession } from '../../app/use-session';
import { useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { messages } from './messages';

/** The school comes from the subdomain (demo.example.com) when there is one, else from the form. */
function schoolFromHost(): string | null {
  const [first, ...rest] = location.hostname.split('.');
  return rest.length >= 1 && first !== 'www' && !/^\d+$/.test(first) ? first : null;
}

export function SignInPage() {
  const t = useT(messages);
  const session = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const [school, setSchool] = useState(() => schoolFromHost() ?? lastTenant() ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  if (session) return <Navigate to={from ?? homeOf(session.user.roles)} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      const s = await signIn(school.trim().toLowerCase(), email.trim(), password);
      navigate(from ?? homeOf(s.user.roles), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR'));
    } finally {
      setPending(false);
    }
  };
  const known = error && `error${error.code}` in messages.en;
  return (
    <section className="card narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">{t('title')}</h1>
      <form onSubmit={submit} noValidate={false}>
        <TextField
          label={t('school')}
          hint={t('schoolHint')}
          name="school"
          autoComplete="organization"
          required
          pattern="[a-zA-Z0-9\-]+"
          dir="ltr"
          value={school}
          onChange={(e) => setSchool(e.target.value)}
        />
        <TextField
          label={t('email')}
          name="email"
          type="email"
          autoComplete="username"
          required
          dir="ltr"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label={t('password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          dir="ltr"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {known ? (
          <div className="alert alert-error" role="alert">
            {t(`error${error!.code}` as keyof typeof messages.en)}
          </div>
        ) : (
          <ErrorMessage error={error} />
        )}
        <button type="submit" className="primary" disabled={pending}>
          {pending ? t('submitting') : t('submit')}
        </button>
      </form>
    </section>
  );
}
