import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printSubgraphSdl } from '../../platform/graphql/federation';
import { eventually } from '../../testkit/eventually';
import { codes } from '../../testkit/graphql-client';
import { startStack, type Stack } from '../../testkit/stack';
import { composeSupergraph } from '../../scripts/schema-artifacts';
import { users } from '../../subgraphs/users/features';

/** The gateway swaps its supergraph when the file changes, without a restart or a failed request. */
describe('supergraph file reload', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'supergraph-'));
  const file = path.join(dir, 'supergraph.graphql');
  let stack: Stack;
  let full: string;
  let reduced: string;

  beforeAll(async () => {
    full = readFileSync('schema/supergraph.graphql', 'utf8');
    const sdl = printSubgraphSdl(await users.buildSchema());
    // A version of the users subgraph without School.timezone: visible to clients once loaded.
    reduced = composeSupergraph([{ name: 'users', sdl: sdl.replace(/\n\s*timezone: String!/, ''), url: 'http://127.0.0.1:4001/graphql' }]);
    writeFileSync(file, full);
    stack = await startStack('sqlite', { SUPERGRAPH_PATH: file });
  });
  afterAll(() => stack.stop());

  const timezone = () => stack.gql('{ school { timezone } }', { tenant: 'demo' });

  it('applies a new version, rejects a broken one, and serves every request meanwhile', async () => {
    expect((await timezone()).body.data.school.timezone).toBe('Africa/Cairo');
    let failures = 0;
    let running = true;
    const load = (async () => {
      while (running) {
        const r = await stack.gql('{ school { slug } }', { tenant: 'demo' });
        if (r.body.data?.school?.slug !== 'demo') failures++;
      }
    })();

    // Written the way deploy tools do it: a temp file renamed over the old one.
    writeFileSync(`${file}.tmp`, reduced);
    renameSync(`${file}.tmp`, file);
    await eventually(async () => expect(codes(await timezone())).toEqual(['GRAPHQL_VALIDATION_FAILED']));

    writeFileSync(file, 'this is not a supergraph');
    await new Promise((r) => setTimeout(r, 500));
    expect(codes(await timezone())).toEqual(['GRAPHQL_VALIDATION_FAILED']); // still the reduced one, still serving

    writeFileSync(file, full);
    await eventually(async () => expect((await timezone()).body.data?.school?.timezone).toBe('Africa/Cairo'));
    running = false;
    await load;
    expect(failures).toBe(0);
  });
});
