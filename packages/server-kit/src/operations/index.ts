/**
 * The list of operations every surface is derived from.
 */
import { describeModelOperation, listModelsOperation, listPopulationsOperation } from './catalog-operations.js';
import type { Operation } from './define-operation.js';
import { sweepOperation } from './sweep-operation.js';

/** Every operation, in the order surfaces list them. */
export const OPERATIONS = Object.freeze([listModelsOperation, describeModelOperation, listPopulationsOperation, sweepOperation] as const);

/** Names of the operations. */
export type OperationName = (typeof OPERATIONS)[number]['name'];

/** The operation called `name`, or undefined. */
export function findOperation(name: string): Operation | undefined {
  return (OPERATIONS as readonly Operation[]).find((o) => o.name === name);
}

export { callOperation, defineOperation, issueText, parseOperationInput } from './define-operation.js';
export type { Operation, OperationContext } from './define-operation.js';
export { describeModelOperation, listModelsOperation, listPopulationsOperation } from './catalog-operations.js';
export { DEFAULT_SWEEP_SEEDS, gridPoints, sweepOperation } from './sweep-operation.js';
export { ensembleBands, quantileSorted } from './sweep-bands.js';
export type { Bands } from './sweep-bands.js';
