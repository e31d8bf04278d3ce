/**
 * The one place this package imports graphql-js from, by its CommonJS entry
 * (`graphql/index.js`). graphql 16 has no exports map: Node resolves a bare
 * `graphql` to that file for everybody (Yoga included), but Vite-based tools
 * (vitest) resolve a bare `graphql` in our sources to `index.mjs` while Yoga,
 * loaded by Node, gets `index.js`: two copies, whose classes fail each
 * other's instanceof checks ("Cannot use GraphQLObjectType from another
 * module or realm"). Naming the file gives one copy everywhere.
 */
export {
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLScalarType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  typeFromAST,
  validate,
  valueFromASTUntyped,
} from 'graphql/index.js';
export type { ASTVisitor, DocumentNode, FieldNode, GraphQLField, GraphQLNamedType, GraphQLSchema, ValueNode, OperationDefinitionNode, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql/index.js';
