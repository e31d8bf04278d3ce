/**
 * Faster `Add`, `Sub`, `Mul` and `RealDiv` for the cpu backend's commonest
 * cases: two float32 tensors of one shape, or one of them a single value.
 * tfjs's generic loop takes an index modulo per element and calls the op
 * through a closure (about 10 ms per 1M elements; an agent-sized `tf.div` at
 * 8.7M agents took 0.29 s), and its output is not shared memory, so the next
 * parallel kernel copied it; the reverse pass of a population step adds
 * agent-sized gradients several times per step (tfjs accumulates the gradient
 * of a tensor used by several ops with `Add`), and multiplies them by scalars
 * and by state. Same values, bit for bit: both compute the result in double
 * precision and store float32, element by element. Large calls run on the
 * kernel worker pool. Every other case (other dtypes, broadcasting between
 * shapes) goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { sharedData, sharedOutput } from '../pool/shared-output-pool.js';
import { poolThreads, runParallel, type PoolProgram } from '../pool/worker-pool.js';

/** From this many elements a call runs on the kernel worker pool (into a shared output), in chunks of `chunk`. */
export const fastBinaryTuning = { parallelMin: 1 << 18, chunk: 1 << 16 };

type Op = '+' | '-' | '*' | '/';
/** Which operand is a single value, if any. */
type Form = 'same' | 'scalarA' | 'scalarB';

interface BinaryJob {
  a: Float32Array;
  b: Float32Array;
  out: Float32Array;
  n: number;
  chunk: number;
}

const expression = (op: Op, form: Form): string => (form === 'same' ? `a[i] ${op} b[i]` : form === 'scalarA' ? `s ${op} b[i]` : `a[i] ${op} s`);

/** The element loop of one op and form, as pool program source (and as a local function). */
function loopSource(op: Op, form: Form): string {
  return `const a = job.a, b = job.b, out = job.out;
  const s = ${form === 'scalarA' ? 'a[0]' : form === 'scalarB' ? 'b[0]' : '0'};
  const i1 = Math.min(job.n, (c + 1) * job.chunk);
  for (let i = c * job.chunk; i < i1; i++) out[i] = ${expression(op, form)};`;
}

/** The ops' names in pool program names. */
const OP_NAMES: Record<Op, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' };

const programs = new Map<string, PoolProgram<BinaryJob>>();
const locals = new Map<string, (job: BinaryJob, c: number) => void>();

function programFor(op: Op, form: Form): PoolProgram<BinaryJob> {
  const key = `${OP_NAMES[op]}-${form}`;
  let program = programs.get(key);
  if (!program) {
    program = { name: `populace.fast-binary.${key}.v1`, source: `'use strict';\nreturn function binaryChunk(job, c) {\n  ${loopSource(op, form)}\n};` };
    programs.set(key, program);
  }
  return program;
}

/** The same loop on this thread (one chunk covering everything). */
function localFor(op: Op, form: Form): (job: BinaryJob, c: number) => void {
  const key = `${op}${form}`;
  let fn = locals.get(key);
  if (!fn) {
    fn = new Function('job', 'c', loopSource(op, form)) as (job: BinaryJob, c: number) => void;
    locals.set(key, fn);
  }
  return fn;
}

function install(kernelName: 'Add' | 'Sub' | 'Multiply' | 'RealDiv', op: Op): void {
  const stock = tf.getKernel(kernelName, 'cpu');
  if (stock == null) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const cpu = args.backend as MathBackendCPU;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock.kernelFunc(args);
    const na = tf.util.sizeFromShape(a.shape);
    const nb = tf.util.sizeFromShape(b.shape);
    const same = tf.util.arraysEqual(a.shape, b.shape);
    // A single value broadcast only when the other operand's shape is the result's.
    const scalarB = nb === 1 && b.shape.length <= a.shape.length;
    const scalarA = na === 1 && a.shape.length <= b.shape.length;
    if (!same && !scalarB && !scalarA) return stock.kernelFunc(args);
    const form: Form = same ? 'same' : scalarB ? 'scalarB' : 'scalarA';
    const av = cpu.data.get(a.dataId)!.values as Float32Array;
    const bv = cpu.data.get(b.dataId)!.values as Float32Array;
    const shape = same || scalarB ? a.shape.slice() : b.shape.slice();
    const n = tf.util.sizeFromShape(shape);
    if (n >= fastBinaryTuning.parallelMin && poolThreads() > 1) {
      const out = sharedOutput(cpu, n);
      const { chunk } = fastBinaryTuning;
      // the inputs' data moves to shared memory once per tensor (values unchanged)
      const [sa, sb] = [sharedData(cpu, a.dataId), sharedData(cpu, b.dataId)] as Float32Array[];
      runParallel(programFor(op, form), { a: sa!, b: sb!, out, n, chunk }, Math.ceil(n / chunk));
      return cpu.makeTensorInfo(shape, 'float32', out);
    }
    const out = new Float32Array(n);
    localFor(op, form)({ a: av, b: bv, out, n, chunk: Math.max(n, 1) }, 0);
    return cpu.makeTensorInfo(shape, 'float32', out);
  };
  tf.unregisterKernel(kernelName, 'cpu');
  tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc });
}

let installed = false;

/** Replaces the cpu backend's `Add`, `Sub`, `Mul` and `RealDiv` kernels with the fast ones (delegating to the stock ones). Idempotent. */
export function installFastBinaryKernels(): void {
  if (installed) return;
  installed = true;
  install('Add', '+');
  install('Sub', '-');
  install('RealDiv', '/');
  install('Multiply', '*'); // tfjs's kernel name (not 'Mul': under that name nothing was replaced)
}
