/**
 * The tensor library Populace computes with: `@tensorflow/tfjs-core` (tape,
 * variables, optimizers, backend registry) with the cpu backend, every gradient
 * config and the chained tensor ops registered, as the `@tensorflow/tfjs` union
 * would register them, without installing its layers, converter, data and webgl
 * packages. tfjs-core's Node entry point registers no gradients by itself; the
 * registrations come from dist/tf-registrations.js, which the build bundles from
 * tfjs-core's own gradient files (scripts/bundle-tf-registrations.mjs).
 *
 * Plugins must use this instance so that their ops land on the same tape and
 * backend as the simulation's. For a network passed to `calibrate`, install
 * `@tensorflow/tfjs-layers` (an optional peer) and build it with its API.
 *
 * @example
 * ```ts
 * import { tf } from '@populace/core';
 * const y = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
 * ```
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Built next to dist/tf.js; the same path resolves from src/ (tests) and dist/.
import '../dist/tf-registrations.js';
// The chained ops' types (x.reshape(...)), for this package and for the declarations it ships.
export type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';

export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
export type Tensor1D = tf.Tensor1D;
