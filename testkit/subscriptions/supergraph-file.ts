import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeSubgraphs, composeSupergraph } from '../../scripts/schema-artifacts';
import type { TestDialect } from '../database';
import { startStack, type Stack, type StackOptions } from '../stack';

/**
 * A supergraph file of the test's own (the gateway's SUPERGRAPH_PATH) in a temporary folder, so
 * the test can publish another version while the gateway runs. `write` composes the subgraphs
 * and renames the result into place, as deploy tools do, so the watcher never reads half a file.
 */
export function tempSupergraphFile(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const file = path.join(dir, 'supergraph.graphql');
  return {
    file,
    write(subgraphs: Parameters<typeof composeSupergraph>[0]): void {
      writeFileSync(`${file}.tmp`, composeSupergraph(subgraphs));
      renameSync(`${file}.tmp`, file);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * startStack with its gateway reading a supergraph composed from the code (codeSubgraphs: what the
 * committed artifact holds; startStack points the gateway at the subgraphs' real URLs) from a file
 * of its own, removed when the stack stops.
 */
export async function startCodeSupergraphStack(
  dialect: TestDialect,
  env: Record<string, string> = {},
  options: StackOptions = {},
): Promise<Stack> {
  const supergraph = tempSupergraphFile('supergraph-');
  try {
    supergraph.write(await codeSubgraphs());
    const stack = await startStack(dialect, { SUPERGRAPH_PATH: supergraph.file, ...env }, options);
    return {
      ...stack,
      async stop() {
        try {
          await stack.stop();
        } finally {
          supergraph.remove();
        }
      },
    };
  } catch (err) {
    supergraph.remove();
    throw err;
  }
}
