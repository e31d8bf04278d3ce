import { describe, expect, it } from 'vitest';
import { checkPopulationFits, populationNeeds, type DeviceLimits } from './device-capacity.js';
import { PopulaceError } from './errors.js';
import { networkSir } from './examples/network-sir.js';
import { examplePlugin } from './examples/plugin.js';
import { detectWebgpuAdapter } from './kernels/webgpu/dawn.js';
import { REQUIRE_WEBGPU, webgpuUnavailable } from './kernels/webgpu/webgpu.fixture.js';
import { createRuntime } from './runtime.js';

const counts = (n: number) => new Map([['people', n]]);
const csr = (n: number, degree: number) => ({
  agents: { people: { count: n, attributes: {} } },
  networks: { contacts: { agents: 'people', rowPtr: Int32Array.from({ length: n + 1 }, (_, i) => i * degree), colIdx: new Int32Array(n * degree) } },
});
const limits = (maxBinding: number, maxBuffer: number): DeviceLimits => ({ backend: 'webgpu', maxBinding, maxBuffer });

describe('checkPopulationFits', () => {
  it('counts 4 bytes per element of every agent property and network array', () => {
    const needs = populationNeeds(networkSir, counts(1000), csr(1000, 3));
    expect(needs.map((n) => [n.name, n.bytes, n.blocked])).toEqual([
      ['agents/people/susceptible', 4000, false],
      ['agents/people/infected', 4000, false],
      ['agents/people/recovered', 4000, false],
      ['networks/contacts/rowPtr', 4004, true],
      ['networks/contacts/colIdx', 12000, true],
    ]);
  });

  it('passes a population whose agent arrays fill the binding exactly, and a network over it that fits a buffer (bound in blocks)', () => {
    expect(() => checkPopulationFits(networkSir, 'example/network-sir', counts(1000), csr(1000, 3), limits(4000, 12000))).not.toThrow();
    expect(() => checkPopulationFits(networkSir, 'example/network-sir', counts(1000), csr(1000, 3), null)).not.toThrow();
  });

  it('names the tensor, its bytes, the limit, the whole state and the agents that fit, one agent over', () => {
    let error: unknown;
    try {
      checkPopulationFits(networkSir, 'example/network-sir', counts(1001), undefined, limits(4000, 1 << 20));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PopulaceError);
    const e = error as PopulaceError;
    expect(e.code).toBe('limit-exceeded');
    expect(e.message).toContain('agents/people/susceptible [1001] needs 4004 bytes');
    expect(e.message).toContain("maxStorageBufferBindingSize of 4000 bytes");
    expect(e.message).toContain('needs 12012 bytes');
    expect(e.message).toContain('at most about 1000 agents');
    expect(e.details).toMatchObject({ tensor: 'agents/people/susceptible', bytes: 4004, limit: 4000, totalBytes: 12012 });
  });

  it('holds a stored network to maxBufferSize', () => {
    expect(() => checkPopulationFits(networkSir, 'example/network-sir', counts(1000), csr(1000, 3), limits(4000, 11999))).toThrow(/networks\/contacts\/colIdx \[3000\] needs 12000 bytes .*maxBufferSize of 11999/);
  });
});

const reason = await webgpuUnavailable();
if (reason !== null && REQUIRE_WEBGPU) throw new Error(`webgpu required (POPULACE_REQUIRE_WEBGPU=1): ${reason}`);

describe.skipIf(reason !== null)('a population too large for the webgpu device', () => {
  it('fails before allocation with the device limit: one float32 agent array past maxStorageBufferBindingSize', async () => {
    const runtime = createRuntime({ plugins: [examplePlugin], backend: 'webgpu' });
    const { maxStorageBufferBindingSize: limit } = await detectWebgpuAdapter(); // 128 MiB on llvmpipe here
    const sim = runtime.createSimulation({ model: 'random-walk', agents: limit / 4 + 1, seed: 1 });
    const error = await sim.ready().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(PopulaceError);
    const message = (error as Error).message;
    expect((error as PopulaceError).details).toMatchObject({ tensor: 'agents/walkers/x', limit, bytes: limit + 4, limitName: 'maxStorageBufferBindingSize' });
    expect(message).toMatch(/agents\/walkers\/x \[\d+\] needs \d+ bytes .* over this device's maxStorageBufferBindingSize/);
    sim.dispose();
  });
});
