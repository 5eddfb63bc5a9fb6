import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { GraphQLError, Kind, parse, printSchema, type DocumentNode, type GraphQLSchema } from 'graphql';
import { sha256 } from '../../platform/secrets';
import { partnerContract } from '../contract/partner-contract';
import { compositionError, readableError, type CompositionError } from './composition-error';
import type { SubgraphInput } from './subgraph-input';

/** A successful composition: what a version stores. */
export interface Composed {
  supergraphSdl: string;
  hash: string;
  apiSdl: string;
  api: GraphQLSchema;
  /** Null while nothing is tagged for partners. */
  contract: { sdl: string; hash: string; schema: GraphQLSchema } | null;
}

export type Composition = { ok: true; composed: Composed } | { ok: false; errors: CompositionError[] };

const TYPE_DEFINITIONS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.UNION_TYPE_DEFINITION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_DEFINITION,
]);

/**
 * Composes subgraphs with @apollo/composition (the same composer the committed artifacts use,
 * so a check can never pass where the gateway's composer fails) and derives the API schema and
 * the partner contract from the supergraph.
 */
export function compose(subgraphs: SubgraphInput[]): Composition {
  const names = subgraphs.map((s) => s.name);
  const documents: Array<{ name: string; typeDefs: DocumentNode; url: string }> = [];
  const errors: CompositionError[] = [];
  for (const s of subgraphs) {
    try {
      documents.push({ name: s.name, typeDefs: parse(s.sdl), url: s.url });
    } catch (err) {
      const e = err as GraphQLError;
      const locations = (e.locations ?? []).map((l) => ({ subgraph: s.name, line: l.line, column: l.column }));
      errors.push(compositionError('INVALID_GRAPHQL', `[${s.name}] ${e.message}`, [s.name], locations));
    }
  }
  if (errors.length) return { ok: false, errors };

  const typeNames = new Set(
    documents.flatMap((d) =>
      d.typeDefs.definitions.filter((n) => TYPE_DEFINITIONS.has(n.kind)).map((n) => (n as { name: { value: string } }).name.value),
    ),
  );
  const result = composeServices(documents);
  if (result.errors?.length) return { ok: false, errors: result.errors.map((e) => readableError(e, names, typeNames)) };

  const supergraphSdl = `${result.supergraphSdl!.trim()}\n`;
  const supergraph = Supergraph.build(supergraphSdl);
  const api = supergraph.apiSchema().toGraphQLJSSchema();
  let contract: Composed['contract'];
  try {
    contract = partnerContract(supergraph.schema, api);
  } catch (err) {
    const message = `The partner contract is not a valid schema: ${(err as Error).message}`;
    return { ok: false, errors: [compositionError('INVALID_PARTNER_CONTRACT', message, names)] };
  }
  return { ok: true, composed: { supergraphSdl, hash: sha256(supergraphSdl), apiSdl: printSchema(api), api, contract } };
}
