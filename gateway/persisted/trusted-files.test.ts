import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codes, type GqlResult } from '../../testkit/graphql-client';
import { startStack, type Stack } from '../../testkit/stack';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const SCHOOL = 'query School { school { slug } }';

/** Embedded mode without a registry: a trusted-only client's list is `<TRUSTED_DOCUMENTS_DIR>/<client>.json`. */
describe('trusted documents from manifest files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trusted-files-'));
  let stack: Stack;

  beforeAll(async () => {
    const operations = [
      { id: sha256(SCHOOL), name: 'School', type: 'query', body: SCHOOL },
      // Not the body's hash: left out of the list.
      { id: sha256('other'), name: 'Forged', type: 'query', body: '{ school { name } }' },
    ];
    writeFileSync(path.join(dir, 'web.json'), JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
    stack = await startStack('sqlite', { TRUSTED_ONLY_CLIENTS: 'web,ios', TRUSTED_DOCUMENTS_DIR: dir }, { subgraphs: ['users'] });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (client: string, query: string | undefined, hash?: string) =>
    fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en', 'x-tenant-id': 'demo', 'apollographql-client-name': client },
      body: JSON.stringify({ query, extensions: hash ? { persistedQuery: { version: 1, sha256Hash: hash } } : undefined }),
    }).then(async (res): Promise<GqlResult> => ({ status: res.status, headers: {}, body: (await res.json()) as GqlResult['body'] }));

  it('runs the listed operation by hash and refuses the rest', async () => {
    expect((await post('web', undefined, sha256(SCHOOL))).body).toEqual({ data: { school: { slug: 'demo' } } });
    const forged = await post('web', undefined, sha256('other'));
    expect(forged.status).toBe(400);
    expect(codes(forged)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(codes(await post('web', '{ school { name } }'))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    // A trusted-only client without a manifest file may send nothing.
    expect(codes(await post('ios', SCHOOL))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });
});
