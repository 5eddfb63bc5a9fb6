import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The layer rules of .dependency-cruiser.cjs (`npm run check:layers`): each one fires, with its
 * name, on a small fixture tree; what the layers allow passes; and the repository itself passes.
 */
const ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const CLI = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
/** The folders `npm run check:layers` cruises. */
const FOLDERS = ['platform', 'gateway', 'subgraphs', 'registry', 'scripts', 'testkit', 'e2e', 'bench', 'web/src'];

interface Violation {
  rule: { name: string; severity: string };
  from: string;
  to: string;
  /** For a cycle: the modules after `from`, back to `from`. */
  cycle?: Array<{ name: string }>;
}

/** Runs depcruise with our config in `cwd` (as `npm run check:layers` does in the repository root). */
function cruise(cwd: string): Promise<Violation[]> {
  const folders = FOLDERS.filter((f) => existsSync(path.join(cwd, f)));
  return new Promise((resolve, reject) => {
    // depcruise exits with the number of errors it found: a non-zero exit is an answer, not a failure.
    execFile(
      process.execPath,
      [CLI, '--config', CONFIG, '--output-type', 'json', ...folders],
      { cwd, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        try {
          resolve((JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations);
        } catch {
          reject(new Error(`depcruise failed (${err?.message ?? 'no output'}):\n${stderr}`));
        }
      },
    );
  });
}

/** `rule: from → to`; a cycle (reported once, from any of its modules) as its modules in order. */
const summary = (vs: Violation[]) =>
  vs
    .map((v) => {
      if (!v.cycle) return `${v.rule.name}: ${v.from} → ${v.to}`;
      const ring = [v.from, ...v.cycle.map((c) => c.name)].slice(0, -1);
      const first = ring.indexOf([...ring].sort()[0]);
      return `${v.rule.name}: ${[...ring.slice(first), ...ring.slice(0, first), ring[first]].join(' → ')}`;
    })
    .sort();

/** Writes `files` (path → source) under a fresh directory with a tsconfig like the repository's. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'manassa-layers-'));
  const tsconfig = {
    compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true },
    include: FOLDERS,
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), source);
  }
  return dir;
}

/** What the layers allow: services on platform, the catalog on the subgraphs, tooling and tests on anything. */
const allowed: Record<string, string> = {
  'platform/runtime.ts': `export const runtime = 1;\n`,
  'platform/contract.ts': `import { runtime } from './runtime';\nexport const contract = runtime;\n`,
  'gateway/app.ts': `import { contract } from '../platform/contract';\nexport const gateway = contract;\n`,
  'registry/app.ts': `import { runtime } from '../platform/runtime';\nexport const registry = runtime;\n`,
  'subgraphs/alpha/app.ts': `import { contract } from '../../platform/contract';\nimport { part } from './part/part';\nexport const alpha = contract + part;\n`,
  'subgraphs/alpha/part/part.ts': `export const part = 1;\n`,
  'subgraphs/beta/app.ts': `import { runtime } from '../../platform/runtime';\nexport const beta = runtime;\n`,
  'subgraphs/catalog.ts': `import { alpha } from './alpha/app';\nimport { beta } from './beta/app';\nexport const catalog = [alpha, beta];\n`,
  'testkit/stack.ts': `import { gateway } from '../gateway/app';\nimport { catalog } from '../subgraphs/catalog';\nexport const stack = [gateway, ...catalog];\n`,
  'scripts/start.ts': `import { stack } from '../testkit/stack';\nimport { registry } from '../registry/app';\nexport const start = [stack, registry];\n`,
  'e2e/all.e2e.ts': `import { stack } from '../testkit/stack';\nexport const e2e = stack;\n`,
  'bench/run.ts': `import { stack } from '../testkit/stack';\nexport const bench = stack;\n`,
  'web/src/app.ts': `import { page } from './page';\nexport const app = page;\n`,
  'web/src/page.ts': `export const page = 1;\n`,
  // Tests sit on top: a gateway test may start subgraphs, a platform test may use the test kit.
  'gateway/app.test.ts': `import { alpha } from '../subgraphs/alpha/app';\nimport { stack } from '../testkit/stack';\nexport const t = [alpha, stack];\n`,
  'platform/runtime.test.ts': `import { stack } from '../testkit/stack';\nimport { gateway } from '../gateway/app';\nexport const t = [stack, gateway];\n`,
  // A cycle through an `import type` is erased at compile time.
  'platform/node.ts': `import type { Tree } from './tree';\nexport interface Node { tree: Tree }\nexport const leaf = 1;\n`,
  'platform/tree.ts': `import { leaf } from './node';\nexport interface Tree { size: number }\nexport const tree = leaf;\n`,
};

describe('layer rules (.dependency-cruiser.cjs)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const make = (files: Record<string, string>) => {
    const dir = fixture(files);
    dirs.push(dir);
    return dir;
  };

  it('passes a tree that follows the layers (type-only cycles included)', async () => {
    expect(summary(await cruise(make(allowed)))).toEqual([]);
  });

  it('names the rule each forbidden import breaks', async () => {
    const dir = make({
      ...allowed,
      // platform/ imports a service or tooling
      'platform/uses-gateway.ts': `import { gateway } from '../gateway/app';\nexport const x = gateway;\n`,
      'platform/uses-type-of-subgraph.ts': `import type { alpha } from '../subgraphs/alpha/app';\nexport type X = typeof alpha;\n`,
      // services import each other
      'subgraphs/alpha/uses-beta.ts': `import { beta } from '../beta/app';\nexport const x = beta;\n`,
      'subgraphs/beta/uses-catalog.ts': `import { catalog } from '../catalog';\nexport const x = catalog;\n`,
      'gateway/uses-subgraph.ts': `import { alpha } from '../subgraphs/alpha/app';\nexport const x = alpha;\n`,
      'registry/uses-gateway.ts': `import { gateway } from '../gateway/app';\nexport const x = gateway;\n`,
      // shipped code imports tooling or a test
      'registry/uses-testkit.ts': `import { stack } from '../testkit/stack';\nexport const x = stack;\n`,
      'subgraphs/alpha/uses-test.ts': `import { t } from '../../gateway/app.test';\nexport const x = t;\n`,
      // a real cycle, in a test file too
      'gateway/ping.ts': `import { pong } from './pong';\nexport const ping = () => pong;\n`,
      'gateway/pong.ts': `import { ping } from './ping';\nexport const pong = () => ping;\n`,
      'testkit/a.test.ts': `import { b } from './b.test';\nexport const a = () => b;\n`,
      'testkit/b.test.ts': `import { a } from './a.test';\nexport const b = () => a;\n`,
      // the browser app imports server code
      'web/src/uses-platform.ts': `import { runtime } from '../../platform/runtime';\nexport const x = runtime;\n`,
    });
    expect(summary(await cruise(dir))).toEqual(
      [
        'platform-imports-no-service: platform/uses-gateway.ts → gateway/app.ts',
        'platform-imports-no-service: platform/uses-type-of-subgraph.ts → subgraphs/alpha/app.ts',
        'services-are-independent: subgraphs/alpha/uses-beta.ts → subgraphs/beta/app.ts',
        'services-are-independent: subgraphs/beta/uses-catalog.ts → subgraphs/catalog.ts',
        'services-are-independent: gateway/uses-subgraph.ts → subgraphs/alpha/app.ts',
        'services-are-independent: registry/uses-gateway.ts → gateway/app.ts',
        'production-code-does-not-import-tooling: registry/uses-testkit.ts → testkit/stack.ts',
        'production-code-does-not-import-tooling: subgraphs/alpha/uses-test.ts → gateway/app.test.ts',
        'services-are-independent: subgraphs/alpha/uses-test.ts → gateway/app.test.ts',
        'no-circular: gateway/ping.ts → gateway/pong.ts → gateway/ping.ts',
        'no-circular: testkit/a.test.ts → testkit/b.test.ts → testkit/a.test.ts',
        'web-is-a-client: web/src/uses-platform.ts → platform/runtime.ts',
      ].sort(),
    );
  });

  it('keeps the catalog to the subgraphs', async () => {
    const dir = make({
      ...allowed,
      'subgraphs/catalog.ts': `import { alpha } from './alpha/app';\nimport { gateway } from '../gateway/app';\nexport const catalog = [alpha, gateway];\n`,
    });
    expect(summary(await cruise(dir))).toEqual(['services-are-independent: subgraphs/catalog.ts → gateway/app.ts']);
  });

  it('finds no violation in this repository', async () => {
    const violations = await cruise(ROOT);
    expect(summary(violations)).toEqual([]);
  });
});
