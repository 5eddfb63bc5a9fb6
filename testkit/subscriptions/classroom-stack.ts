import { codeSubgraphs } from '../../scripts/schema-artifacts';
import type { TestDialect } from '../database';
import { startStack, type Stack } from '../stack';
import { tempSupergraphFile } from './supergraph-file';
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
 * The platform in this process (startStack's default subgraphs; with 'mysql'
 * MariaDB, Redis and RabbitMQ, with 'sqlite' the embedded mode's in-process bus), with the
 * gateway reading a supergraph file of the test's own, composed from the code, so the test can
 * publish another version during a live session.
 */
export async function startClassroomStack(dialect: TestDialect = 'mysql', env: Record<string, string> = {}) {
  const supergraph = tempSupergraphFile('classroom-');
  const sdls = await codeSubgraphs();
  /** Writes the supergraph, with `edit` applied to one subgraph's SDL. */
  const writeSupergraph = (edit?: { subgraph: string; change: (sdl: string) => string }) =>
    supergraph.write(sdls.map((s) => (s.name === edit?.subgraph ? { ...s, sdl: edit.change(s.sdl) } : s)));
  writeSupergraph();
  const stack: Stack = await startStack(dialect, { SUPERGRAPH_PATH: supergraph.file, ...env });
  return {
    stack,
    wsUrl: wsUrlOf(stack.gatewayUrl),
    gatewayBase: stack.gatewayUrl.replace(/\/graphql$/, ''),
    token: await tokenIssuer(stack),
    writeSupergraph,
    async stop() {
      await stack.stop();
      supergraph.remove();
    },
  };
}
export type ClassroomStack = Awaited<ReturnType<typeof startClassroomStack>>;
