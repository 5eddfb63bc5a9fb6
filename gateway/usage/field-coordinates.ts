import {
  getNamedType,
  isInputObjectType,
  separateOperations,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/**
 * The schema coordinates an operation uses: `Type` and `Type.field` for every selected field,
 * `Type.field.argument` for every argument given (literal or variable), and `Input.field` for
 * input-object fields written literally (fields inside variables are not visible here). The
 * registry's checks match breaking changes against exactly these.
 */
export function fieldCoordinates(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): string[] {
  // Only the executed operation and the fragments it spreads, not its siblings in the document.
  const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
  const doc = operations.length > 1 ? (separateOperations(document)[operationName ?? ''] ?? document) : document;
  const typeInfo = new TypeInfo(schema);
  const out = new Set<string>();
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        out.add(parent.name);
        out.add(`${parent.name}.${node.name.value}`);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) out.add(`${parent.name}.${field.name}.${node.name.value}`);
      },
      ObjectField(node) {
        const input = typeInfo.getParentInputType();
        const named = input && getNamedType(input);
        if (named && isInputObjectType(named)) out.add(`${named.name}.${node.name.value}`);
      },
    }),
  );
  return [...out].sort();
}
