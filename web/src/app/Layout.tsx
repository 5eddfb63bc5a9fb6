import { NavLink, Outlet, useNavigate } from 'react-router';
import { signOut } from '../api/session';
import { useQuery } from '../api/use-query';
import { graphql } from '../gql';
import { common } from '../i18n/common';
import { useLang, useT } from '../i18n/i18n';
import { homeOf, useSession } from './use-session';

const SchoolName = graphql(`
  query SchoolName {
    school {
      name
    }
  }
`);

/** The frame of every signed-in page: skip link, header with the school, navigation by role, language and sign-out. */
export function Layout() {
  const t = useT(common);
  const { lang, choose } = useLang();
  const session = useSession();
  const navigate = useNavigate();
  const school = useQuery(SchoolName, {}, { skip: !session }).data?.school;
  const roles = session?.user.roles ?? [];
  const links: { to: string; label: string }[] = [];
  if (roles.includes('TEACHER') || roles.includes('SCHOOL_ADMIN') || roles.includes('STUDENT'))
    links.push({ to: homeOf(roles), label: t('navCourses') });
  if (roles.includes('PARENT')) links.push({ to: '/parent', label: t('navChildren') });
  links.push({ to: '/messages', label: t('navMessages') });
  if (roles.includes('SCHOOL_ADMIN')) links.push({ to: '/admin/dashboard', label: t('navDashboard') });
  if (roles.includes('PARENT') || roles.includes('STUDENT')) links.push({ to: '/billing', label: t('navBilling') });
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="app-header">
        <strong className="brand">{t('appName')}</strong>
        {session && <span className="school">{school?.name ?? session.tenant}</span>}
        <nav aria-label={t('navMain')}>
          <ul>
            {links.map((l) => (
              <li key={l.to}>
                <NavLink to={l.to}>{l.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-actions">
          {session && <span className="user-name">{session.user.displayName}</span>}
          <button
            type="button"
            lang={lang === 'ar' ? 'en' : 'ar'}
            aria-label={t('languageLabel')}
            onClick={() => choose(lang === 'ar' ? 'en' : 'ar')}
          >
            {t('language')}
          </button>
          {session && (
            <button type="button" onClick={() => void signOut().then(() => navigate('/signin'))}>
              {t('signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
