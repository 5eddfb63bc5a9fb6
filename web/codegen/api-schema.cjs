// GraphQL Code Generator schema loader: the clients' schema is the API schema of the committed
// supergraph (schema/supergraph.graphql): join__/link__ machinery and @inaccessible fields removed,
// exactly what the gateway serves.
const { readFileSync } = require('node:fs');
const { Supergraph } = require('@apollo/federation-internals');

module.exports = (pointer) => Supergraph.build(readFileSync(pointer, 'utf8')).apiSchema().toGraphQLJSSchema();
