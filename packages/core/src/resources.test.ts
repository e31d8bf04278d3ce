import { describe, expect, it } from 'vitest';
import { PopulaceError } from './errors.js';
import { examplePlugin } from './examples/plugin.js';
import { perAgentEstimate } from './population-size.js';
import { allocationError, availableMemory, checkMemory, estimateSimulationMemory, formatBytes, memoryLimitFromEnv } from './resources.js';

const sir = examplePlugin.models.find((m) => m.id === 'network-sir')!;
const graph = examplePlugin.populations.find((p) => p.id === 'random-graph')!;
const hashed = examplePlugin.populations.find((p) => p.id === 'hashed-random-graph')!;

function refusal(fn: () => unknown): PopulaceError {
  try {
    fn();
  } catch (error) {
    expect(PopulaceError.isInstance(error)).toBe(true);
    return error as PopulaceError;
  }
  throw new Error('expected a refusal');
}

describe('memory estimates', () => {
  it('per-agent estimates add agents and edges', () => {
    expect(perAgentEstimate({ bytesPerAgent: 5, edgesPerAgent: 10, bytesPerEdge: 4 })({ agents: 1_000_000 })).toEqual({ agents: 1_000_000, edges: 10_000_000, bytes: 45_000_000 });
  });

  it('scale with agents, edges, steps and the gradient; a hashed graph stores no edges', () => {
    const small = estimateSimulationMemory({ model: sir, population: graph, agents: 1000, steps: 10 });
    const big = estimateSimulationMemory({ model: sir, population: graph, agents: 1_000_000, steps: 10 });
    expect(big.edges).toBe(10_000_000);
    expect(big.population).toBe(1_000_000 * 5 + 10_000_000 * 4);
    expect(big.bytes / small.bytes).toBeGreaterThan(900);
    expect(estimateSimulationMemory({ model: sir, population: hashed, agents: 1_000_000, steps: 10 }).edges).toBe(0);
    const forward = estimateSimulationMemory({ model: sir, population: graph, agents: 100_000, steps: 100 });
    const gradient = estimateSimulationMemory({ model: sir, population: graph, agents: 100_000, steps: 100, gradient: true });
    expect(forward.tape).toBe(0);
    expect(gradient.tape).toBeGreaterThan(100_000 * 100);
    expect(estimateSimulationMemory({ model: sir, steps: 1e9 }).metrics).toBe(1e9 * 4 * 16);
    // the model's default agents without a population
    expect(estimateSimulationMemory({ model: sir, steps: 1 }).agents).toBe(sir.defaultAgents);
  });

  it('checkMemory refuses with needed vs available, the parts and the fix', () => {
    const e = estimateSimulationMemory({ model: sir, population: graph, agents: 50_000_000, steps: 2 });
    const error = refusal(() => checkMemory(e, 'a run', { bytes: 2e9, heapBytes: 4e9, source: 'test' }));
    expect(error.code).toBe('limit-exceeded');
    expect(error.message).toMatch(/^a run needs about 11\.5 GB of memory \(population 2\.3 GB \(50,000,000 agents, 500,000,000 edges\), state 9\.2 GB, metrics 128 B \(2 steps\)\), but 2\.0 GB is available \(test\)\. Use fewer agents/);
    expect(error.details).toMatchObject({ neededBytes: e.bytes, availableBytes: 2e9 });
    expect(() => checkMemory(estimateSimulationMemory({ model: sir, population: graph, agents: 1000, steps: 2 }), 'a run', { bytes: 2e9, heapBytes: 4e9, source: 'test' })).not.toThrow();
    const heap = refusal(() => checkMemory(estimateSimulationMemory({ model: sir, steps: 1e8 }), 'a run', { bytes: 1e12, heapBytes: 1e9, source: 'test' }));
    expect(heap.message).toContain('of JS heap for its metric series (100,000,000 steps), but the heap has 1.0 GB left');
  });

  it('POPULACE_MAX_MEMORY caps what is available, and a bad value is refused', () => {
    expect(memoryLimitFromEnv({})).toBeUndefined();
    expect(memoryLimitFromEnv({ POPULACE_MAX_MEMORY: '8GB' })).toBe(8e9);
    expect(memoryLimitFromEnv({ POPULACE_MAX_MEMORY: '512 MiB' })).toBe(512 * 2 ** 20);
    expect(memoryLimitFromEnv({ POPULACE_MAX_MEMORY: '1000' })).toBe(1000);
    for (const bad of ['lots', '-1GB', '0', '8XB']) expect(refusal(() => memoryLimitFromEnv({ POPULACE_MAX_MEMORY: bad })).message).toContain('POPULACE_MAX_MEMORY: expected a size such as 8GB');
    const capped = availableMemory({ POPULACE_MAX_MEMORY: '1MB' });
    expect(capped).toMatchObject({ bytes: 1e6, source: "the operator's limit POPULACE_MAX_MEMORY=1MB" });
    expect(availableMemory({}).bytes).toBeGreaterThan(1e6);
  });

  it('a failed allocation becomes limit-exceeded with the numbers; other errors pass through', () => {
    const e = estimateSimulationMemory({ model: sir, population: graph, agents: 1000, steps: 2 });
    const mapped = allocationError(new RangeError('Array buffer allocation failed'), 'the run', e) as PopulaceError;
    expect(mapped.code).toBe('limit-exceeded');
    expect(mapped.message).toMatch(/^the run ran out of memory \(Array buffer allocation failed\): it was estimated to need about .* is available now/);
    const other = new TypeError('x');
    expect(allocationError(other, 'the run')).toBe(other);
    expect(formatBytes(1536)).toBe('1.5 kB');
  });
});
