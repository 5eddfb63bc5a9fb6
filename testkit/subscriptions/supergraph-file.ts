import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeSupergraph } from '../../scripts/schema-artifacts';

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
