import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeBackends } from '../backend-probe.js';
import { tf } from '../tf.js';
import { GATHER_REDUCE, POPULACE_KERNEL_NAMES, SUM_ALL } from './kernel-names.js';
import { kernelSetFor, registerPopulaceKernels } from './register-kernels.js';
import { smokeTestKernels } from './smoke-test.js';

tf.env().set('PROD', true);
const POPULACE = new Set([...POPULACE_KERNEL_NAMES, SUM_ALL]);
const GOOD = 'smoke-portable'; // a cpu backend whose Populace kernels are the portable set
const BROKEN = 'smoke-broken'; // the same, with a gather-reduce that forgets the weights

function cpuLike(name: string): void {
  tf.registerBackend(name, () => new MathBackendCPU());
  for (const k of tf.getKernelsForBackend('cpu')) if (!POPULACE.has(k.kernelName)) tf.registerKernel({ ...k, backendName: name });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerPopulaceKernels('cpu');
  cpuLike(GOOD);
  cpuLike(BROKEN);
  const portable = kernelSetFor(BROKEN).kernels();
  tf.registerKernel({ kernelName: GATHER_REDUCE, backendName: BROKEN, kernelFunc: (args) => {
    const { values, rowPtr, colIdx } = args.inputs;
    return portable[GATHER_REDUCE]!({ ...args, inputs: { values: values!, rowPtr: rowPtr!, colIdx: colIdx! } });
  } });
});
afterAll(() => {
  tf.removeBackend(GOOD);
  tf.removeBackend(BROKEN);
});

describe('smokeTestKernels', () => {
  it('passes a backend with the portable kernels, and restores the active backend', async () => {
    await tf.setBackend('cpu');
    const smoke = await smokeTestKernels(GOOD);
    expect(kernelSetFor(GOOD).kind).toBe('portable');
    expect(smoke.ok, smoke.summary).toBe(true);
    expect(smoke.checks.map((c) => c.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^gatherReduce/), expect.stringMatching(/^bernoulliEvent/), expect.stringMatching(/^hashedGather/), expect.stringMatching(/^linearCombine/), expect.stringMatching(/^sumAll/)]));
    expect(tf.getBackend()).toBe('cpu');
  });

  it('fails a backend with a wrong kernel, naming it, and a backend that does not exist', async () => {
    const smoke = await smokeTestKernels(BROKEN);
    expect(smoke.ok).toBe(false);
    expect(smoke.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([expect.stringMatching(/^gatherReduce/)]);
    expect(smoke.summary).toMatch(/1 of 5 kernel checks differ from cpu: gatherReduce/);
    const missing = await smokeTestKernels('no-such-backend');
    expect(missing.ok).toBe(false);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('probeBackends', () => {
  it('lists cpu, wasm, tensorflow and webgl with installed / usable / why', async () => {
    const rows = await probeBackends();
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(['cpu', 'wasm', 'tensorflow', 'webgl']));
    expect(byName.cpu).toMatchObject({ installed: true, usable: true, kernels: 'native' });
    expect(byName.wasm).toMatchObject({ installed: true, usable: true, kernels: 'native' });
    expect(byName.wasm!.smoke!.ok).toBe(true);
    expect(byName.tensorflow!.kernels).toBe('portable');
    expect(byName.webgl!.kernels).toBe('portable');
    for (const r of rows) {
      if (!r.installed) expect(r.reason).toMatch(new RegExp(`npm install ${r.package.replace(/[/.@-]/g, '\\$&')}`));
      if (!r.installed || r.name === 'webgl') expect(r.usable).toBe(false); // webgl needs a browser
    }
  });
});
