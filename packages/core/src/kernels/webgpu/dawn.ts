/**
 * WebGPU under Node: Dawn from the optional `webgpu` npm package (its prebuilt
 * dawn.node ships inside the package), driving tfjs's optional
 * `@tensorflow/tfjs-backend-webgpu`. Both are loaded on demand, never
 * statically, so Populace installs and runs without them.
 *
 * Adapters are tried in order: the platform's native API (Vulkan, Metal,
 * D3D12) with a high-performance preference, then Dawn's OpenGL ES backend in
 * compatibility mode, which runs on Mesa's software rasteriser (llvmpipe) on
 * machines without a GPU. `hardware` says which one was found: `auto` takes
 * only a hardware adapter.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PopulaceError } from '../../errors.js';
import { narrowBinding, readBlockSetting } from './blocks.js';

/** What {@link detectWebgpuAdapter} found. */
export interface WebgpuAdapterInfo {
  /** Whether an adapter was found. */
  readonly available: boolean;
  /** The adapter's description (vendor, device, driver), or why none was found. */
  readonly description: string;
  /** True for a software rasteriser (llvmpipe, lavapipe, SwiftShader) or a fallback adapter. */
  readonly software: boolean;
  /** The Dawn backend that gave the adapter: 'default' (Vulkan/Metal/D3D12) or 'opengles'. */
  readonly route: 'default' | 'opengles' | 'none';
  /** Largest storage binding (bytes); a tensor beyond it cannot be bound. */
  readonly maxStorageBufferBindingSize: number;
  /** Largest buffer (bytes). */
  readonly maxBufferSize: number;
}

/** The device tfjs's webgpu backend was built on, and its adapter. */
export interface DawnDevice {
  readonly device: unknown;
  readonly adapter: GpuAdapterLike;
  readonly info: WebgpuAdapterInfo;
}

/** The parts of a WebGPU adapter used here (typed locally: no dependency on @webgpu/types). */
export interface GpuAdapterLike {
  readonly info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  readonly limits: Readonly<Record<string, number>> & { maxStorageBufferBindingSize: number; maxBufferSize: number };
  readonly features: { has(name: string): boolean };
  readonly isFallbackAdapter?: boolean;
  requestDevice(descriptor: object): Promise<unknown>;
}

interface GpuLike {
  requestAdapter(options: object): Promise<GpuAdapterLike | null>;
}

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software|microsoft basic render/i;

interface DawnModule {
  create: (options: string[]) => GpuLike;
  globals: Record<string, unknown>;
}

let dawnModule: Promise<DawnModule> | null = null;

async function loadDawn(): Promise<DawnModule> {
  dawnModule ??= (async () => {
    const name = 'webgpu';
    let mod: DawnModule;
    try {
      mod = (await import(name)) as DawnModule;
    } catch (error) {
      dawnModule = null;
      throw new PopulaceError(
        'backend-unavailable',
        `backend 'webgpu': the optional package 'webgpu' (Dawn for Node) failed to load (${(error as Error).message}). Install it with npm install webgpu@^0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0, or use --backend cpu.`,
        { cause: error, details: { backend: 'webgpu', missing: 'webgpu' } },
      );
    }
    // tfjs's webgpu backend uses the WebGPU enums (GPUBufferUsage, GPUMapMode) as globals.
    for (const [key, value] of Object.entries(mod.globals)) {
      if (!(key in globalThis)) Object.assign(globalThis, { [key]: value });
    }
    return mod;
  })();
  return dawnModule;
}

function describe(adapter: GpuAdapterLike): { description: string; software: boolean } {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => typeof s === 'string' && s.length > 0);
  const description = parts.join(' / ') || 'unnamed adapter';
  const fallback = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  return { description, software: fallback || SOFTWARE.test(description) };
}

/** The GPU object each adapter came from (tfjs finds it as navigator.gpu). */
const gpuOf = new WeakMap<GpuAdapterLike, GpuLike>();

async function tryAdapter(mod: DawnModule, route: 'default' | 'opengles'): Promise<GpuAdapterLike | null> {
  try {
    // opengles: Mesa's EGL without a display, software rendering: what a machine without a GPU has.
    if (route === 'opengles') process.env['EGL_PLATFORM'] ??= 'surfaceless';
    const gpu = mod.create(route === 'opengles' ? ['backend=opengles'] : []);
    const adapter = await gpu.requestAdapter(route === 'opengles' ? { featureLevel: 'compatibility' } : { powerPreference: 'high-performance' });
    if (adapter !== null) gpuOf.set(adapter, gpu);
    return adapter;
  } catch {
    return null;
  }
}

/**
 * Whether the native route can work here. On Linux Dawn uses Vulkan: without the loader
 * (libvulkan.so.1) it only prints a warning, so look for the loader first.
 */
function nativeRoutePossible(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib64', '/usr/local/lib'];
  const extra = (process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter((d) => d.length > 0);
  return [...extra, ...dirs].some((d) => existsSync(join(d, 'libvulkan.so.1')));
}

const NONE = (description: string): WebgpuAdapterInfo => ({ available: false, description, software: false, route: 'none', maxStorageBufferBindingSize: 0, maxBufferSize: 0 });

/** A hardware adapter only, without touching the software route (what `auto` asks). */
let foundHardware: Promise<WebgpuAdapterInfo> | null = null;

async function findHardware(): Promise<WebgpuAdapterInfo> {
  foundHardware ??= (async () => {
    if (!nativeRoutePossible()) return NONE('no Vulkan loader (libvulkan.so.1) on this machine');
    const mod = await loadDawn().catch(() => null);
    if (mod === null) return NONE("the optional package 'webgpu' failed to load");
    const adapter = await tryAdapter(mod, 'default');
    if (adapter === null) return NONE('Dawn found no Vulkan/Metal/D3D12 adapter');
    return { available: true, ...describe(adapter), route: 'default', maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize };
  })();
  return foundHardware;
}

let found: Promise<{ adapter: GpuAdapterLike | null; info: WebgpuAdapterInfo }> | null = null;

async function findAdapter(): Promise<{ adapter: GpuAdapterLike | null; info: WebgpuAdapterInfo }> {
  found ??= (async () => {
    let mod: DawnModule;
    try {
      mod = await loadDawn();
    } catch (error) {
      found = null;
      return { adapter: null, info: NONE((error as Error).message) };
    }
    for (const route of nativeRoutePossible() ? (['default', 'opengles'] as const) : (['opengles'] as const)) {
      const adapter = await tryAdapter(mod, route);
      if (adapter === null) continue;
      const d = describe(adapter);
      // A software adapter on the native route (lavapipe) is no better than the GLES one; keep looking only if hardware is absent.
      if (route === 'default' && d.software) continue;
      const info: WebgpuAdapterInfo = { available: true, ...d, route, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize };
      return { adapter, info };
    }
    return { adapter: null, info: NONE('Dawn found no adapter: no Vulkan/Metal/D3D12 GPU, and no OpenGL ES (on Linux: apt-get install libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri)') };
  })();
  return found;
}

/**
 * Finds a WebGPU adapter without creating a device: its description, whether it is a software
 * rasteriser, and its buffer limits. Never throws: `available: false` says why there is none.
 * `hardwareOnly` tries only the native API (Vulkan, Metal, D3D12), never the software route.
 *
 * @example
 * ```ts
 * const info = await detectWebgpuAdapter();
 * if (info.available && !info.software) console.log(`GPU: ${info.description}`);
 * ```
 */
export async function detectWebgpuAdapter(options: { hardwareOnly?: boolean } = {}): Promise<WebgpuAdapterInfo> {
  if (options.hardwareOnly === true) return findHardware();
  return (await findAdapter()).info;
}

interface ReadableBackend {
  readSync(dataId: object): unknown;
  tensorMap: { get(dataId: object): { values?: unknown; dtype?: string } | undefined };
  runWebGPUProgram(program: { outputShape: number[]; shaderKey?: string; constructor: { name: string } }, inputs: { shape: number[] }[], ...rest: unknown[]): unknown;
  tensorToBinding(tensor: object | null): unknown;
  device: { limits: { maxStorageBufferBindingSize: number } };
}

const bytesOf = (shape: readonly number[]): number => 4 * shape.reduce((a, b) => a * b, 1);

/**
 * Every program's tensors, stock tfjs ops included, checked against the storage-binding limit
 * before anything is dispatched or allocated: Dawn would otherwise reject the binding with a
 * validation message on stderr and leave the output unwritten.
 */
function withBindingGuard(backend: object): object {
  const b = backend as ReadableBackend;
  const original = b.runWebGPUProgram.bind(b);
  b.runWebGPUProgram = (program, inputs, ...rest) => {
    const limit = b.device.limits.maxStorageBufferBindingSize;
    for (const [what, shape] of [['output', program.outputShape], ...inputs.map((t, i) => [`input ${i}`, t.shape] as const)] as const) {
      if (bytesOf(shape) > limit) {
        throw new PopulaceError(
          'limit-exceeded',
          `backend 'webgpu': a tensor of shape [${shape.join(', ')}] (${what} of ${program.constructor.name}) needs ${bytesOf(shape)} bytes in one storage binding; this device allows ${limit} (maxStorageBufferBindingSize). Use fewer agents, or --backend cpu.`,
          { details: { backend: 'webgpu', shape: [...shape], bytes: bytesOf(shape), limit } },
        );
      }
    }
    return original(program, inputs, ...rest);
  };
  return backend;
}

/** Views of a tensor (./blocks.ts) bound at their range of its buffer; tfjs binds whole buffers. */
function withBlockViews(backend: object): object {
  const b = backend as ReadableBackend;
  const original = b.tensorToBinding.bind(b);
  b.tensorToBinding = (tensor) => narrowBinding(tensor, original(tensor));
  return backend;
}

/**
 * tfjs reads a device tensor synchronously through an OffscreenCanvas, which Node lacks: make
 * that a clear error (values still on the host are read as before).
 */
function withClearSyncReads(backend: object): object {
  const b = backend as ReadableBackend;
  const original = b.readSync.bind(b);
  b.readSync = (dataId: object) => {
    const data = b.tensorMap.get(dataId);
    if (data !== undefined && (data.values != null || data.dtype === 'string')) return original(dataId);
    throw new PopulaceError(
      'backend-failed',
      "backend 'webgpu': a synchronous read of a tensor on the GPU (dataSync, arraySync, bufferSync) is impossible under Node, which reads the GPU asynchronously only; this model or command reads synchronously. Use --backend cpu, or the asynchronous APIs (data(), sim.run, rolloutGradientsAsync).",
      { details: { backend: 'webgpu' } },
    );
  };
  return backend;
}

let dawn: Promise<DawnDevice> | null = null;

/**
 * Creates (once) a Dawn device on the adapter {@link detectWebgpuAdapter} finds, with the adapter's
 * largest buffer, binding, workgroup and storage-buffer-count limits, and registers tfjs's `webgpu`
 * backend on it (below cpu's priority, so tfjs never picks it unasked). Throws
 * `backend-unavailable` when a package or an adapter is missing.
 */
export async function installDawnWebgpu(): Promise<DawnDevice> {
  dawn ??= (async () => {
    readBlockSetting();
    const { adapter, info } = await findAdapter();
    if (adapter === null) {
      throw new PopulaceError('backend-unavailable', `backend 'webgpu': ${info.description}. Use --backend cpu.`, { details: { backend: 'webgpu' } });
    }
    let backendModule: { WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => object };
    try {
      const name = '@tensorflow/tfjs-backend-webgpu';
      backendModule = (await import(name)) as typeof backendModule;
    } catch (error) {
      throw new PopulaceError(
        'backend-unavailable',
        `backend 'webgpu': the optional package @tensorflow/tfjs-backend-webgpu failed to load (${(error as Error).message}). Install it with npm install @tensorflow/tfjs-backend-webgpu@4.22.0, or use --backend cpu.`,
        { cause: error, details: { backend: 'webgpu', missing: '@tensorflow/tfjs-backend-webgpu' } },
      );
    }
    const l = adapter.limits;
    const features: string[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
    const device = await adapter.requestDevice({
      requiredFeatures: features,
      requiredLimits: {
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      },
    });
    // tfjs's WebGPUBackend checks for navigator.gpu; Node 20 has no navigator, later ones no gpu on it.
    const nav = (globalThis as unknown as { navigator?: Record<string, unknown> }).navigator;
    if (nav === undefined) Object.assign(globalThis, { navigator: { gpu: gpuOf.get(adapter), userAgent: `Node.js/${process.version}` } });
    else if (nav['gpu'] === undefined) Object.defineProperty(nav, 'gpu', { value: gpuOf.get(adapter), configurable: true });
    const tf = await import('@tensorflow/tfjs-core');
    if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => withBlockViews(withBindingGuard(withClearSyncReads(new backendModule.WebGPUBackend(device, adapter.info)))) as unknown as import('@tensorflow/tfjs-core').KernelBackend, 0);
    return { device, adapter, info };
  })();
  dawn.catch(() => {
    dawn = null;
  });
  return dawn;
}
