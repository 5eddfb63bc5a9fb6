import type { GraphQLError } from 'graphql';

/**
 * A composition problem as subgraph teams need it: which subgraphs, which types and fields,
 * where, and what to change. @apollo/composition says most of it in prose; this pulls the parts
 * out so the CLI and CI can show them and tools can match on them.
 */
export interface CompositionError {
  /** @apollo/composition's error code, e.g. FIELD_TYPE_MISMATCH. */
  code: string;
  message: string;
  subgraphs: string[];
  /** Type names involved, e.g. ["PageInfo"]. */
  types: string[];
  /** Field coordinates involved, e.g. ["PageInfo.hasNextPage"]. */
  fields: string[];
  locations: Array<{ subgraph: string; line: number; column: number }>;
  /** What to change. */
  hint: string;
}

const DOCS = 'https://www.apollographql.com/docs/graphos/reference/federation/errors';

/** Advice for the codes teams meet most; the rest link to Apollo's reference. */
const HINTS: Record<string, (c: { fields: string[]; types: string[] }) => string> = {
  FIELD_TYPE_MISMATCH: (c) =>
    `Give ${c.fields.join(', ') || 'the field'} the same type in every subgraph that defines it (a nullable type in some and its non-null form in others is allowed for output fields).`,
  FIELD_ARGUMENT_TYPE_MISMATCH: (c) => `Give the arguments of ${c.fields.join(', ') || 'the field'} the same types in every subgraph.`,
  TYPE_KIND_MISMATCH: (c) =>
    `Declare ${c.types.join(', ') || 'the type'} as the same kind (type, interface, input, enum, …) in every subgraph.`,
  INVALID_FIELD_SHARING: (c) =>
    `Mark ${c.fields.join(', ') || 'the field'} @shareable in every subgraph that resolves it, or resolve it in one subgraph only (the others reference the entity by @key).`,
  ENUM_VALUE_MISMATCH: (c) =>
    `${c.types.join(', ') || 'The enum'} is used as input and output: give it exactly the same values in every subgraph.`,
  REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH: (c) =>
    `Make the argument optional, or declare it on ${c.fields.join(', ') || 'the field'} in every subgraph.`,
  EMPTY_MERGED_INPUT_TYPE: (c) =>
    `Input ${c.types.join(', ') || 'type'} keeps only the fields every subgraph declares: declare at least one common field.`,
  EXTERNAL_MISSING_ON_BASE: (c) =>
    `${c.fields.join(', ') || 'The field'} is @external everywhere: define it (without @external) in the subgraph that owns it.`,
  SATISFIABILITY_ERROR: () =>
    'Some fields cannot be reached from the query root through the subgraphs: add a @key to the entity in the subgraph that resolves them, or make the path resolvable.',
  INVALID_GRAPHQL: () => 'Fix the SDL at the location shown.',
  DIRECTIVE_DEFINITION_INVALID: () => 'Import federation directives with @link instead of defining them.',
  // Ours, not @apollo/composition's: the composed supergraph's partner contract is invalid.
  INVALID_PARTNER_CONTRACT: () => 'Tag with @tag(name: "partner") every field an included interface requires, or tag the whole type.',
};

const hintFor = (code: string, involved: { fields: string[]; types: string[] }) =>
  HINTS[code]?.(involved) ?? `See ${DOCS}#${code.toLowerCase()}`;

/** A problem found around composition (an SDL that does not parse, an invalid contract), in the same shape. */
export function compositionError(
  code: string,
  message: string,
  subgraphs: string[],
  locations: CompositionError['locations'] = [],
): CompositionError {
  return { code, message, subgraphs, types: [], fields: [], locations, hint: hintFor(code, { fields: [], types: [] }) };
}

const QUOTED = /"([^"]+)"/g;
const COORDINATE = /^[_A-Za-z]\w*\.[_A-Za-z]\w*(\(.*\))?$/;

export function readableError(err: GraphQLError, subgraphNames: string[], typeNames: Set<string>): CompositionError {
  const code = String(err.extensions?.code ?? 'COMPOSITION_ERROR');
  const quoted = [...err.message.matchAll(QUOTED)].map((m) => m[1]);
  const nodes = (err.nodes ?? []) as unknown as Array<{ subgraph?: string; loc?: { startToken: { line: number; column: number } } }>;
  const subgraphs = new Set([
    ...quoted.filter((q) => subgraphNames.includes(q)),
    ...nodes.map((n) => n.subgraph).filter((s): s is string => !!s),
  ]);
  const fields = [...new Set(quoted.filter((q) => COORDINATE.test(q)).map((q) => q.replace(/\(.*\)$/, '')))];
  const types = [...new Set([...fields.map((f) => f.split('.')[0]), ...quoted.filter((q) => typeNames.has(q))])];
  const locations = nodes
    .filter((n) => n.subgraph && n.loc)
    .map((n) => ({ subgraph: n.subgraph!, line: n.loc!.startToken.line, column: n.loc!.startToken.column }));
  return { code, message: err.message, subgraphs: [...subgraphs].sort(), types, fields, locations, hint: hintFor(code, { fields, types }) };
}
