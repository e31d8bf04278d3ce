import { describe, expect, it } from 'vitest';
import { checkSnapshotCells, checkSnapshotSteps, declaredAttributes, parseSnapshot, planSnapshot, snapshotNames } from './agent-snapshot.js';
import { networkSir } from './examples/network-sir.js';
import { randomGraph } from './examples/random-graph.js';
import type { ModelDefinition } from './model.js';
import { PopulaceError } from './errors.js';

const attributes = declaredAttributes(networkSir, randomGraph);

function refusal(fn: () => unknown): PopulaceError {
  try {
    fn();
  } catch (e) {
    if (PopulaceError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a PopulaceError');
}

describe('snapshot plans', () => {
  it('offer the per-agent states and the population attributes declared for the agent type', () => {
    expect(attributes).toEqual({ people: ['age'] });
    expect(declaredAttributes(networkSir, undefined)).toEqual({});
    expect(snapshotNames(networkSir, attributes)).toEqual([{ agentType: 'people', states: ['susceptible', 'infected', 'recovered'], attributes: ['age'] }]);
  });

  it('resolve bare names, paths and attributes in the order given, steps ascending', () => {
    const plan = planSnapshot(networkSir, 'example/network-sir', attributes, { states: ['age', 'agents/people/infected', 'recovered'], steps: [20, 10] }, 30);
    expect(plan).toEqual({
      agentType: 'people',
      steps: [10, 20],
      columns: [
        { name: 'age', source: { kind: 'attribute', attribute: 'age' } },
        { name: 'agents/people/infected', source: { kind: 'state', path: 'agents/people/infected', dtype: 'float32' } },
        { name: 'recovered', source: { kind: 'state', path: 'agents/people/recovered', dtype: 'float32' } },
      ],
    });
  });

  it('refuse an unknown name listing the valid ones, and bad steps naming the range', () => {
    const unknown = refusal(() => planSnapshot(networkSir, 'example/network-sir', attributes, { states: ['infectd'], steps: [1] }, 30));
    expect(unknown.code).toBe('invalid-argument');
    expect(unknown.message).toContain("unknown state 'infectd'. Did you mean 'infected'?");
    expect(unknown.message).toContain("states of agent type 'people': susceptible, infected, recovered; population attributes: age");
    // without a population there are no attributes
    expect(refusal(() => planSnapshot(networkSir, 'example/network-sir', {}, { states: ['age'], steps: [1] })).message).toContain('population attributes: (none)');
    expect(refusal(() => planSnapshot(networkSir, 'm', attributes, { states: ['infected'], steps: [31] }, 30)).message).toMatch(/steps: expected whole numbers from 1 to 30 \(the run's steps\), received 31/);
    expect(refusal(() => planSnapshot(networkSir, 'm', attributes, { states: ['infected'], steps: [0] }, 30)).message).toMatch(/received 0/);
    expect(refusal(() => checkSnapshotSteps([2, 2])).message).toMatch(/distinct steps/);
    expect(refusal(() => checkSnapshotSteps([])).message).toMatch(/non-empty list/);
    expect(refusal(() => planSnapshot(networkSir, 'm', attributes, { states: ['infected', 'infected'], steps: [1] })).message).toMatch(/distinct names/);
  });

  it('refuse names of two agent types and a bare name two types share', () => {
    // planning reads the state declaration only
    const two = { state: { agents: { a: { properties: { x: { dtype: 'float32', init: 0 }, y: { dtype: 'int32', init: 0 }, v: { dtype: 'float32', shape: [2], init: 0 } } }, b: { properties: { x: { dtype: 'float32', init: 0 }, z: { dtype: 'bool', init: 0 } } } } } } as unknown as ModelDefinition;
    expect(snapshotNames(two)[0]!.states).toEqual(['x', 'y']); // v has two values per agent
    expect(refusal(() => planSnapshot(two, 'two', {}, { states: ['x'], steps: [1] })).message).toContain('name one as agents/a/x or agents/b/x');
    expect(refusal(() => planSnapshot(two, 'two', {}, { states: ['y', 'z'], steps: [1] })).message).toContain('belong to different agent types (a, b)');
    expect(planSnapshot(two, 'two', {}, { states: ['agents/b/x', 'z'], steps: [1] }).agentType).toBe('b');
    expect(refusal(() => planSnapshot(two, 'two', {}, { states: ['v'], steps: [1] })).message).toContain("unknown state 'v'");
  });

  it('count cells and refuse a snapshot over the limit, naming it', () => {
    const plan = planSnapshot(networkSir, 'm', attributes, { states: ['infected', 'age'], steps: [1, 2, 3] });
    expect(() => checkSnapshotCells(1000, plan, 6000, 'maxSnapshotCells')).not.toThrow();
    const over = refusal(() => checkSnapshotCells(1001, plan, 6000, 'maxSnapshotCells'));
    expect(over.code).toBe('limit-exceeded');
    expect(over.message).toBe('snapshot: 1,001 agents x 2 states x 3 steps = 6,006 values, over the limit of 6,000 (maxSnapshotCells). Ask for fewer states, steps or agents.');
  });

  it('parse the text form names@steps', () => {
    expect(parseSnapshot('status,age@10,20,30')).toEqual({ states: ['status', 'age'], steps: [10, 20, 30] });
    expect(parseSnapshot(' infected @ 5 ')).toEqual({ states: ['infected'], steps: [5] });
    for (const bad of ['status', '@10', 'status@', 'status@1.5', 'a,,b@1', 'a@1@2', 'a@x']) expect(() => parseSnapshot(bad), bad).toThrow(/expected names@steps such as status,age@10,20,30/);
  });
});
