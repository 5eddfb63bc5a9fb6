import { useId } from 'react';
import { useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import type { SaveState } from './AttemptForm';
import type { Draft } from './answers';
import { messages } from './messages';
import type { QuestionData } from './StudentAttemptPage';

interface Props {
  number: number;
  question: QuestionData;
  draft: Draft;
  save: SaveState | undefined;
  disabled: boolean;
  /** `typed`: a keystroke in a text field (saved after a pause), not a click on a choice (saved at once). */
  onChange: (draft: Draft, typed: boolean) => void;
  onBlur: () => void;
}

/** One question, its input by kind (QuestionKind), and whether its answer is saved. */
export function QuestionField({ number, question: q, draft, save, disabled, onChange, onBlur }: Props) {
  const t = useT(messages);
  const id = useId();
  const options = q.options ?? [];
  const legend = (
    // Floated, the legend sits inside the box rather than across its border, prompt and all.
    <legend style={{ float: 'inline-start', inlineSize: '100%', padding: 0, marginBlockEnd: '0.5rem' }}>
      <strong>{t('question', { number })}</strong> <span className="muted">({t('points', { points: q.points })})</span>
      <span dir="auto" style={{ display: 'block', fontWeight: 400, whiteSpace: 'pre-wrap' }}>
        {q.prompt}
      </span>
    </legend>
  );
  let input;
  switch (q.kind) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE': {
      const multiple = q.kind === 'MULTIPLE_CHOICE';
      const chosen = draft.choices ?? [];
      input = options.map((option, i) => (
        <label key={i} style={choice}>
          <input
            type={multiple ? 'checkbox' : 'radio'}
            name={id}
            disabled={disabled}
            checked={chosen.includes(i)}
            onChange={(e) =>
              onChange(
                {
                  choices: multiple ? (e.target.checked ? [...chosen, i].sort((a, b) => a - b) : chosen.filter((c) => c !== i)) : [i],
                },
                false,
              )
            }
          />
          <span dir="auto">{option}</span>
        </label>
      ));
      break;
    }
    case 'TRUE_FALSE':
      input = [true, false].map((value) => (
        <label key={String(value)} style={choice}>
          <input
            type="radio"
            name={id}
            disabled={disabled}
            checked={draft.booleanValue === value}
            onChange={() => onChange({ booleanValue: value }, false)}
          />
          <span>{value ? t('true') : t('false')}</span>
        </label>
      ));
      break;
    case 'NUMERIC':
    case 'SHORT_ANSWER': {
      const numeric = q.kind === 'NUMERIC';
      input = (
        <div className="field">
          <label htmlFor={`${id}-input`}>{t('yourAnswer')}</label>
          <input
            id={`${id}-input`}
            type="text"
            inputMode={numeric ? 'decimal' : 'text'}
            dir={numeric ? 'ltr' : 'auto'}
            autoComplete="off"
            disabled={disabled}
            aria-invalid={save?.state === 'invalid' || undefined}
            aria-describedby={`${id}-status`}
            value={(numeric ? draft.numericText : draft.text) ?? ''}
            onChange={(e) => onChange(numeric ? { numericText: e.target.value } : { text: e.target.value }, true)}
            onBlur={onBlur}
          />
        </div>
      );
      break;
    }
  }
  return (
    <fieldset className="card" style={{ minInlineSize: 0 }}>
      {legend}
      <div style={{ clear: 'both' }}>{input}</div>
      <p id={`${id}-status`} role="status" aria-live="polite" style={{ margin: 0 }}>
        {save?.state === 'saving' && <span className="muted">{t('saving')}</span>}
        {save?.state === 'saved' && <span style={{ color: 'var(--ok)' }}>✓ {t('saved')}</span>}
        {save?.state === 'invalid' && <span style={{ color: 'var(--danger)' }}>{t('numberInvalid')}</span>}
      </p>
      {save?.state === 'error' && <ErrorMessage error={save.error} />}
    </fieldset>
  );
}

const choice = { display: 'flex', gap: '0.5rem', alignItems: 'center', paddingBlock: '0.25rem', fontWeight: 400 } as const;
