/**
 * `--learnable a,b` of calibrate and sensitivity: the learnable parameters to
 * fit or differentiate, the operations' `learnable` field (the same name and
 * check as over MCP and GraphQL). `--params a,b` is its deprecated alias for
 * one release.
 */
import { calibrateOperation } from '@populace/server-kit';
import { usageError, type OptionSpecs, type ParsedArgs } from './args.js';
import { fieldValue, operationOption } from './operation-options.js';

/** --learnable and its deprecated alias --params. */
export const LEARNABLE_OPTIONS: OptionSpecs = {
  learnable: operationOption(calibrateOperation, 'learnable'),
  params: { type: 'string', value: 'a,b', description: "deprecated (removed in the next release): the old name of --learnable" },
};

/** The --learnable names (or those of --params), checked; undefined when neither is given. */
export function learnableValue(args: ParsedArgs): string[] | undefined {
  const { learnable, params } = args.options;
  if (learnable !== undefined && params !== undefined) usageError("--params is the deprecated name of --learnable; give only --learnable.", { option: 'params' });
  const text = (learnable ?? params) as string | undefined;
  if (text === undefined) return undefined;
  return fieldValue<string[] | undefined>(calibrateOperation, 'learnable', text, learnable === undefined ? 'params' : 'learnable');
}
