import { PopulaceError } from '@populace/core';
import { sweepOperation } from '@populace/server-kit';
import { describe, expect, it } from 'vitest';
import { parseArgv } from './args.js';
import { operationInput, operationOptions, type OperationCli } from './operation-options.js';

const CLI: OperationCli = { positional: 'model', rename: { params: 'param' }, omit: ['schedules'] };
const specs = operationOptions(sweepOperation, CLI);
const input = (argv: string[]) => operationInput(sweepOperation, parseArgv(argv, specs, 'sweep'), CLI);

describe('options derived from an operation', () => {
  it('has one option per input field (kebab-case, renamed, records repeatable), none for the positional or omitted ones', () => {
    expect(Object.keys(specs)).toEqual(['population', 'agents', 'steps', 'seed', 'seeds', 'param', 'vary', 'label']);
    expect(specs.vary).toMatchObject({ type: 'string', multiple: true });
    expect(specs.seeds!.description).toBe(`${sweepOperation.input.shape.seeds.description!.replace(/\.$/, '')} (default 10)`);
  });

  it('converts by the field types and validates with the same schema as MCP and GraphQL', () => {
    expect(input(['network-sir', '--agents', '500', '--vary', 'beta=0.1,0.2', '--vary', 'gamma=0.1', '--param', 'seedFraction=0.01'])).toEqual({
      model: 'network-sir',
      agents: 500,
      steps: 30,
      seed: 0,
      seeds: 10,
      vary: { beta: [0.1, 0.2], gamma: [0.1] },
      params: { seedFraction: 0.01 },
    });
  });

  it('names the option in every refusal', () => {
    const refused = (argv: string[], pattern: RegExp) => {
      try {
        input(argv);
        expect.unreachable();
      } catch (error) {
        expect(PopulaceError.isInstance(error) && error.code).toBe('invalid-argument');
        expect((error as Error).message).toMatch(pattern);
      }
    };
    refused(['network-sir', '--agents', 'many'], /^--agents: expected a number, received "many"/);
    refused(['network-sir', '--agents', '1.5'], /^--agents: expected a whole number, received 1\.5\.$/);
    refused(['network-sir', '--seeds', '0'], /^--seeds: expected at least 1, received 0\.$/);
    refused(['network-sir', '--vary', 'beta'], /^--vary: expected name=number or name=n1,n2/);
    refused(['network-sir', '--vary', 'beta=0.1,0.1'], /^--vary beta: expected distinct values, received \[0\.1,0\.1\]/);
    refused([], /expected one <model> argument, received 0/);
  });
});
