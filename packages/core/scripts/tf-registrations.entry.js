// What the @tensorflow/tfjs union registers on top of tfjs-core, and tfjs-core's
// Node entry point does not: every gradient config, and the chained ops
// (tensor.add(), tensor.sum(), ...). Bundled into dist/tf-registrations.js by
// scripts/bundle-tf-registrations.mjs.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
