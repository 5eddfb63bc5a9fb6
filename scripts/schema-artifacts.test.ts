import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildArtifacts, composeSupergraph } from './schema-artifacts';

describe('schema artifacts', () => {
  it('the committed subgraph SDLs and supergraph are what the code emits', async () => {
    const { files } = await buildArtifacts();
    for (const [file, content] of Object.entries(files)) {
      expect({ file: path.relative(process.cwd(), file), content: readFileSync(file, 'utf8') }).toEqual({
        file: path.relative(process.cwd(), file),
        content,
      });
    }
  });

  it('reports composition errors with the subgraphs and the type', () => {
    const a =
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"]) type Query { a: Thing } type Thing { id: ID! name: String }';
    const b =
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"]) type Query { b: Thing } type Thing { id: ID! name: Int }';
    expect(() =>
      composeSupergraph([
        { name: 'alpha', sdl: a, url: 'http://a' },
        { name: 'beta', sdl: b, url: 'http://b' },
      ]),
    ).toThrow(/Thing\.name[\s\S]*(alpha|beta)/);
  });
});
