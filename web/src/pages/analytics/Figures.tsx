import type { ReactNode } from 'react';

export interface Figure {
  label: string;
  value: ReactNode;
  hint?: string;
}

/** A row of figure cards: a description list, so each number is read with its name. */
export function Figures({ figures }: { figures: Figure[] }) {
  return (
    <dl className="grid" style={{ margin: 0 }}>
      {figures.map((f) => (
        <div key={f.label} className="card" style={{ marginBlockEnd: 0 }}>
          <dt style={{ fontWeight: 600 }}>{f.label}</dt>
          <dd style={{ margin: 0, fontSize: '1.8rem', fontWeight: 700 }}>{f.value}</dd>
          {f.hint && (
            <dd className="muted" style={{ margin: 0, fontSize: '0.9rem' }}>
              {f.hint}
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}
