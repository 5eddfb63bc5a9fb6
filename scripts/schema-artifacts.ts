/**
 * Regenerates the committed schema artifacts from code: each subgraph's SDL
 * (schema/subgraphs/<name>.graphql), the supergraph composed from them with
 * @apollo/composition (schema/supergraph.graphql), and the partner contract derived from it
 * (schema/contracts/partner.graphql) — the same composition the registry runs on publish.
 *
 *   npm run schema:emit      write them
 *   npm run check:schema     fail (exit 1) if the committed files differ from the code
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { compose, type Composed } from '../registry/composition/compose';
import type { SubgraphInput } from '../registry/composition/subgraph-input';
import { printSubgraphSdl } from '../platform/graphql/federation';
import { subgraphs } from '../subgraphs/catalog';

export interface Artifacts {
  files: Record<string, string>;
}

/**
 * Each subgraph of the code base as its committed artifact prints it, with the routing URL of its
 * default port (the embedded registry publishes exactly these, so they match the committed supergraph).
 */
export function codeSubgraphs(): Promise<SubgraphInput[]> {
  return Promise.all(
    subgraphs.map(async (sg) => ({
      name: sg.name,
      sdl: printSubgraphSdl(await sg.buildSchema()),
      url: `http://127.0.0.1:${sg.defaultPort}/graphql`,
    })),
  );
}

function composeOrThrow(sdls: SubgraphInput[]): Composed {
  const result = compose(sdls);
  if (!result.ok) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}${e.hint ? ` (${e.hint})` : ''}`).join('\n')}`);
  }
  return result.composed;
}

export function composeSupergraph(sdls: SubgraphInput[]): string {
  return composeOrThrow(sdls).supergraphSdl;
}

export async function buildArtifacts(root = process.cwd()): Promise<Artifacts> {
  const sdls = await codeSubgraphs();
  const files: Record<string, string> = {};
  for (const { name, sdl } of sdls) files[path.join(root, 'schema', 'subgraphs', `${name}.graphql`)] = sdl;
  const composed = composeOrThrow(sdls);
  files[path.join(root, 'schema', 'supergraph.graphql')] = composed.supergraphSdl;
  if (composed.contract) files[path.join(root, 'schema', 'contracts', 'partner.graphql')] = composed.contract.sdl;
  return { files };
}

async function main() {
  const check = process.argv.includes('--check');
  const { files } = await buildArtifacts();
  const drift: string[] = [];
  for (const [file, content] of Object.entries(files)) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === content) continue;
    if (check) {
      drift.push(path.relative(process.cwd(), file));
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (drift.length) {
    console.error(
      `Schema artifacts are out of date with the code: ${drift.join(', ')}\nRun \`npm run schema:emit\` and commit the result.`,
    );
    process.exit(1);
  }
  if (check) console.log('schema artifacts match the code');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
