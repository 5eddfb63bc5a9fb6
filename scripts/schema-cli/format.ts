/** Human-readable output of the schema CLI: what a subgraph team needs to act on, first. */
import type { ClassifiedChange as Change } from '../../registry/check/schema-diff';
import type { CompositionError } from '../../registry/composition/composition-error';
import type { ServedCheck } from '../../registry/publish/served-sdl';

interface Version {
  id: string;
  number: number;
  hash: string;
  createdAt: string;
  author: string;
  subgraphs: string[];
  message: string | null;
  approvalId: string | null;
  forced?: string | null;
  changes: Change[];
}

const LEVELS = ['breaking', 'dangerous', 'safe'];

function printChanges(changes: Change[]): void {
  for (const level of LEVELS) {
    for (const c of changes.filter((x) => x.level === level)) {
      console.log(`  ${level.toUpperCase().padEnd(9)} [${c.target}] ${c.message}`);
      for (const u of c.usedBy ?? []) console.log(`             operation ${u.name}: ${u.count} calls (clients: ${u.clients.join(', ')})`);
    }
  }
}

function printCompositionErrors(errors: CompositionError[]): void {
  console.log(`composition failed (${errors.length} error${errors.length === 1 ? '' : 's'}):`);
  for (const e of errors) {
    const where = [...e.fields, ...e.types.filter((t) => !e.fields.some((f) => f.startsWith(`${t}.`)))].join(', ');
    console.log(`  ${e.code} in ${e.subgraphs.join(', ') || '?'}${where ? ` — ${where}` : ''}`);
    console.log(`    ${e.message}`);
    if (e.locations.length) console.log(`    at ${e.locations.map((l) => `${l.subgraph}:${l.line}:${l.column}`).join(', ')}`);
    console.log(`    fix: ${e.hint}`);
  }
}

/** What the running subgraphs serve versus what was published (publish only). */
function printServed(served: ServedCheck[], refused: boolean): void {
  for (const c of served.filter((x) => !x.ok)) {
    if (c.error) console.log(`  NOT SERVED [${c.name}] ${c.error}`);
    else {
      console.log(`  NOT SERVED [${c.name}] ${c.checkedAt} serves another schema (${c.differences.length} difference(s)):`);
      for (const d of c.differences) console.log(`             ${d.message}`);
    }
  }
  if (refused)
    console.log(
      'Deploy the subgraph first, then publish what it serves; or publish --force to record this version anyway (the gateway would plan queries it cannot serve).',
    );
}

/** A check or publish answer. */
export function printCheck(
  body: {
    status?: string;
    ok: boolean;
    unchanged: boolean;
    compositionErrors: CompositionError[];
    breaking: Change[];
    changes: Change[];
    version?: Version;
    basedOnVersion: { number: number } | null;
    served?: ServedCheck[];
  },
  kind: 'check' | 'publish',
): void {
  if (body.compositionErrors.length) return printCompositionErrors(body.compositionErrors);
  const base = body.basedOnVersion ? `version ${body.basedOnVersion.number}` : 'an empty registry';
  if (kind === 'publish' && body.status === 'published')
    console.log(
      `published version ${body.version!.number} (${body.version!.hash.slice(0, 12)})${body.version!.forced ? ' — FORCED: not what runs' : ''}`,
    );
  else if (kind === 'publish' && body.status === 'not_served')
    console.log(`publish refused: the subgraphs do not serve this SDL (against ${base})`);
  else if (kind === 'publish' && body.status === 'unchanged')
    console.log(`unchanged: version ${body.version!.number} already has this schema`);
  else if (body.breaking.length)
    console.log(`${kind === 'publish' ? 'publish refused' : 'check failed'}: ${body.breaking.length} breaking change(s) against ${base}`);
  else console.log(`check passed against ${base}${body.unchanged ? ' (no change)' : ''}`);
  printChanges(body.changes);
  if (body.served) printServed(body.served, body.status === 'not_served');
  if (body.breaking.length && body.status !== 'published' && body.status !== 'not_served') {
    console.log('To ship anyway, a schema owner approves it: npm run schema -- approve <subgraph> --reason "…" (or publish --approve "…")');
  }
}

export function printHistory(versions: Version[]): void {
  for (const v of versions) {
    const counts = LEVELS.map((l) => `${v.changes.filter((c) => c.level === l).length} ${l}`).join(', ');
    console.log(
      `#${v.number}  ${v.createdAt}  ${v.hash.slice(0, 12)}  ${v.subgraphs.join(',')}  by ${v.author}${v.approvalId ? '  [approved]' : ''}${v.forced ? '  [forced]' : ''}`,
    );
    if (v.forced) console.log(`     forced past: ${v.forced}`);
    if (v.message) console.log(`     ${v.message}`);
    console.log(`     ${counts}  (npm run schema -- history --version ${v.number})`);
  }
}

export function printVersion(v: Version & { documents: Record<string, string> }): void {
  printHistory([v]);
  printChanges(v.changes);
  console.log(
    `documents: ${Object.keys(v.documents)
      .map((d) => `--part ${d}`)
      .join(', ')}`,
  );
}
