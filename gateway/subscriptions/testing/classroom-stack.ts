import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printSubgraphSdl } from '../../../platform/graphql/federation';
import type { TestDialect } from '../../../platform/testkit/database';
import { startStack, type Stack } from '../../../platform/testkit/stack';
import { composeSupergraph } from '../../../scripts/schema-artifacts';
import { subgraphs } from '../../../subgraphs/catalog';
import { tokenIssuer } from './tokens';
import { wsUrlOf } from './ws-clients';

export const LIVE = `subscription Live($id: ID!, $after: ID) {
  liveSessionEvents(sessionId: $id, after: $after) {
    id kind text
    actor { id displayName }
    session { id title course { title teacher { displayName } } }
    poll { question options counts }
  }
}`;

/**
 * The whole platform in this process (startStack: every subgraph of the catalog; with 'mysql'
 * MariaDB, Redis and RabbitMQ, with 'sqlite' the embedded mode's in-process bus), with the
 * gateway reading a supergraph file of the test's own, composed from the code, so the test can
 * publish another version during a live session.
 */
export async function startClassroomStack(dialect: TestDialect = 'mysql', env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'classroom-'));
  const supergraphFile = path.join(dir, 'supergraph.graphql');
  const sdls = await Promise.all(
    subgraphs.map(async (sg) => ({
      name: sg.name,
      sdl: printSubgraphSdl(await sg.buildSchema()),
      url: `http://127.0.0.1:${sg.defaultPort}/graphql`,
    })),
  );
  /** Writes the supergraph, with `edit` applied to one subgraph's SDL. */
  const writeSupergraph = (edit?: { subgraph: string; change: (sdl: string) => string }) => {
    const composed = composeSupergraph(sdls.map((s) => (s.name === edit?.subgraph ? { ...s, sdl: edit.change(s.sdl) } : s)));
    writeFileSync(`${supergraphFile}.tmp`, composed);
    renameSync(`${supergraphFile}.tmp`, supergraphFile);
  };
  writeSupergraph();
  const stack: Stack = await startStack(dialect, { SUPERGRAPH_PATH: supergraphFile, ...env });
  return {
    stack,
    wsUrl: wsUrlOf(stack.gatewayUrl),
    gatewayBase: stack.gatewayUrl.replace(/\/graphql$/, ''),
    token: await tokenIssuer(stack),
    writeSupergraph,
    async stop() {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type ClassroomStack = Awaited<ReturnType<typeof startClassroomStack>>;
