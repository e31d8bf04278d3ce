/**
 * The `JSON` scalar: any JSON value, for free-form records (a run's
 * kind-specific options).
 */
import { GraphQLScalarType, valueFromASTUntyped } from './graphql.js';

/** Any JSON value, passed through as is. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
