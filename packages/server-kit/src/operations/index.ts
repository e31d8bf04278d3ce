/**
 * The list of operations every surface is derived from.
 */
import { listBackendsOperation } from './backends-operation.js';
import { describeModelOperation, listModelsOperation, listPopulationsOperation } from './catalog-operations.js';
import type { Operation } from './define-operation.js';
import { calibrateOperation } from './calibrate-operation.js';
import { runOperation } from './run-operation.js';
import { scenariosOperation } from './scenarios-operation.js';
import { sensitivityOperation } from './sensitivity-operation.js';
import { sweepOperation } from './sweep-operation.js';

/** Every operation, in the order surfaces list them. */
export const OPERATIONS = Object.freeze([listModelsOperation, describeModelOperation, listPopulationsOperation, listBackendsOperation, runOperation, scenariosOperation, sweepOperation, calibrateOperation, sensitivityOperation] as const);

/** Names of the operations. */
export type OperationName = (typeof OPERATIONS)[number]['name'];

/** The operation called `name`, or undefined. */
export function findOperation(name: string): Operation | undefined {
  return (OPERATIONS as readonly Operation[]).find((o) => o.name === name);
}

export { callOperation, defineOperation, issueText, parseOperationInput, unknownKeysText, unwrapField, wireInput } from './define-operation.js';
export { backendRows, listBackendsOperation } from './backends-operation.js';
export type { BackendRow } from './backends-operation.js';
export { calibrateOperation, DEFAULT_LOSS, GRADIENT_WAIT_SECONDS } from './calibrate-operation.js';
export { progressMessage, submitAndFollow } from './follow-job.js';
export type { FollowedJob } from './follow-job.js';
export { behaviorsField, behaviorsSchema, learnableField, lossSchema, MAX_SEED, observedSchema, outputSchema, paramsSchema, paramValueSchema, schedulesField, seedSchema, simulationFields, snapshotField, stepsField, strictObject, waitField } from './job-fields.js';
export { runHeadline, runText } from './job-text.js';
export { comparisonTableSchema, maybeNumber, runRecordSchema } from './run-record-schema.js';
export { RUN_WAIT_SECONDS, runOperation } from './run-operation.js';
export { scenariosOperation, SCENARIOS_WAIT_SECONDS } from './scenarios-operation.js';
export { sensitivityOperation } from './sensitivity-operation.js';
export type { Operation, OperationContext, UnwrappedField } from './define-operation.js';
export { describeModelOperation, listModelsOperation, listPopulationsOperation } from './catalog-operations.js';
export { DEFAULT_SWEEP_SEEDS, gridPoints, sweepOperation } from './sweep-operation.js';
export { ensembleBands, quantileSorted } from './sweep-bands.js';
export type { Bands } from './sweep-bands.js';
