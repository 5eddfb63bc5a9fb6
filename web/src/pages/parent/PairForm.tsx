import { useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { messages } from './messages';
import { ParentPairWithCode } from './queries';

/**
 * Links a child with the one-time code the student (or a school admin) created: `pairWithCode`.
 * The server's refusals for a bad code and for a non-parent account get their own words here; the
 * success is the page's to show (`onPaired`), since the list it refreshes may replace this form.
 */
export function PairForm({ onPaired }: { onPaired: (childName: string) => Promise<void> | void }) {
  const t = useT(messages);
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const { mutate, pending, error, reset } = useMutation(ParentPairWithCode);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    reset();
    if (!code.trim()) return setMissing(true);
    setMissing(false);
    const result = await mutate({ code: code.trim() });
    if (!result) return;
    setCode('');
    await onPaired(result.pairWithCode.displayName);
  };

  const known = error?.code === 'BAD_USER_INPUT' ? t('pairInvalid') : error?.code === 'FORBIDDEN' ? t('pairNotParent') : null;
  return (
    <form onSubmit={submit} noValidate aria-label={t('pairTitle')}>
      <TextField
        label={t('pairCode')}
        hint={t('pairCodeHint')}
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="characters"
        spellCheck={false}
        dir="ltr"
        maxLength={16}
        aria-invalid={missing || !!known || undefined}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      {missing && (
        <div className="alert alert-error" role="alert">
          {t('pairCodeRequired')}
        </div>
      )}
      {known ? (
        <div className="alert alert-error" role="alert">
          {known}
        </div>
      ) : (
        <ErrorMessage error={error} />
      )}
      <button type="submit" className="primary" disabled={pending}>
        {pending ? t('pairSubmitting') : t('pairSubmit')}
      </button>
    </form>
  );
}
