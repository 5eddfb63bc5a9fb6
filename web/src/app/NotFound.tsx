import { Link } from 'react-router';
import { common } from '../i18n/common';
import { useT } from '../i18n/i18n';

export function NotFound() {
  const t = useT(common);
  return (
    <section className="card">
      <h1>{t('notFound')}</h1>
      <Link to="/">{t('back')}</Link>
    </section>
  );
}
