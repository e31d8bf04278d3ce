/**
 * Choosing the webgpu backend: adapter detection, and `auto`, which takes a
 * hardware GPU adapter only (never llvmpipe or SwiftShader).
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../backend.js';
import { tf } from '../../tf.js';
import { sumAll } from '../ops/sum-all.js';
import { detectWebgpuAdapter } from './dawn.js';
import { REQUIRE_WEBGPU, webgpuUnavailable } from './webgpu.fixture.js';

const reason = await webgpuUnavailable();
if (reason !== null && !REQUIRE_WEBGPU) console.warn(`webgpu backend tests skipped: ${reason}`);
const suite = reason === null || REQUIRE_WEBGPU ? describe : describe.skip;

suite('webgpu backend choice', () => {
  it('describes the adapter, its software status and its binding limit', async () => {
    const info = await detectWebgpuAdapter();
    expect(info.available).toBe(true);
    expect(info.description.length).toBeGreaterThan(3);
    expect(info.software).toBe(/llvmpipe|lavapipe|swiftshader|softpipe/i.test(info.description));
    expect(info.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 2 ** 20);
  });

  it("'auto' takes webgpu exactly when a hardware adapter is found, and says why", async () => {
    const hardware = await detectWebgpuAdapter({ hardwareOnly: true });
    const info = await initBackend('auto');
    try {
      if (hardware.available && !hardware.software) {
        expect(info.name).toBe('webgpu');
      } else {
        expect(info.name).not.toBe('webgpu');
        expect(info.reason).toMatch(/webgpu skipped/);
      }
    } finally {
      await initBackend('cpu');
    }
  });

  it("'webgpu' requested explicitly runs on whatever adapter there is, software included", async () => {
    const info = await initBackend('webgpu');
    try {
      expect(info.name).toBe('webgpu');
      expect(tf.getBackend()).toBe('webgpu');
      expect(info.package).toMatch(/tfjs-backend-webgpu on /);
    } finally {
      await initBackend('cpu');
    }
  });

  it('a synchronous read of a GPU tensor is a clear error; the asynchronous read works', async () => {
    await initBackend('webgpu');
    try {
      const x = tf.tensor1d([1, 2, 3]);
      const y = sumAll(x); // a WGSL program: the result lives on the GPU only
      expect(() => y.dataSync()).toThrow(/asynchronous/);
      expect(Array.from(await y.data())).toEqual([6]);
      tf.dispose([x, y]);
    } finally {
      await initBackend('cpu');
    }
  });

  it('a stock op on a tensor beyond one storage binding is a limit-exceeded error naming the limit, before dispatch', async () => {
    await initBackend('webgpu');
    try {
      const limit = (await detectWebgpuAdapter()).maxStorageBufferBindingSize;
      const n = limit / 4 + 1;
      expect(() => tf.tidy(() => tf.fill([n], 2))).toThrow(/maxStorageBufferBindingSize/);
    } finally {
      await initBackend('cpu');
    }
  });
});
