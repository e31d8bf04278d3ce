// Memory per agent, per backend: network-SIR on a stored random graph (10 in-contacts per agent) and
// on hashed contacts, and epi/seir on the synthetic population, each in a fresh process. Per agent:
// the tensors at rest after `sim.ready()` (state, network, parameters, as tfjs counts them), their
// peak during one forward step and during a 4-step reverse pass (`rolloutGradientsAsync`,
// tf.profile's peakBytes), and the process's peak RSS over its RSS before the simulation (VmHWM;
// on webgpu under llvmpipe the "GPU" buffers are host memory, so they are in it).
//
//   node bench/bytes-per-agent.mjs --agents 200000 [--backends cpu,webgpu] [--cases sir-stored,sir-hashed,seir]
//
// Needs the builds (npx turbo run build); webgpu needs the optional packages and, without a GPU,
// EGL_PLATFORM=surfaceless LIBGL_ALWAYS_SOFTWARE=1 (see bench/README.md).
import { fileURLToPath } from 'node:url';
import { emit, flag, machineInfo, PeakRss, runChildJson } from './lib/measure.mjs';

const CASES = {
  'sir-stored': { model: 'example/network-sir', population: 'random-graph' },
  'sir-hashed': { model: 'example/network-sir', population: 'hashed-random-graph' },
  seir: { model: 'epi/seir', population: 'synthetic' },
};

const args = process.argv.slice(2);

async function child(name, backend, agents) {
  const rss = new PeakRss();
  const { createRuntime, rolloutGradientsAsync, tf } = await import('@populace/core');
  const { examplePlugin } = await import('@populace/core/examples');
  const epi = (await import('@populace/models-epi')).default;
  const populations = (await import('@populace/populations')).default;
  const runtime = createRuntime({ plugins: [examplePlugin, populations, epi], backend });
  await runtime.ready();
  const baseRss = process.memoryUsage.rss();
  const base = tf.memory().numBytes;
  const { model, population } = CASES[name];
  const sim = runtime.createSimulation({ model, population, agents, seed: 1 });
  await sim.ready();
  const rest = tf.memory().numBytes - base;
  // tf.profile returns the engine's one profile object, overwritten by the next profile: keep the number
  const stepPeak = (await tf.profile(() => sim.step(1))).peakBytes;
  const metricIndex = 0;
  const params = Object.fromEntries(Object.entries(runtime.models.get(sim.model).definition.parameters).filter(([, p]) => p.learnable).slice(0, 2).map(([k]) => [k, tf.scalar(sim.params[k])]));
  await sim.reset();
  const gradPeak = (await tf.profile(async () => {
    const r = await rolloutGradientsAsync(sim, { steps: 4, params, loss: () => (_t, m) => m[metricIndex] });
    tf.dispose(Object.values(r.grads));
  })).peakBytes;
  const perAgent = (bytes) => +(bytes / agents).toFixed(1);
  emit({
    case: name, model, population, backend, agents,
    restBytesPerAgent: perAgent(rest),
    stepPeakBytesPerAgent: perAgent(stepPeak - base),
    gradPeakBytesPerAgent: perAgent(gradPeak - base),
    rssBytesPerAgent: perAgent(rss.mb() * 2 ** 20 - baseRss),
  });
  sim.dispose();
  process.exit(0);
}

if (args[0] === '--child') {
  await child(args[1], args[2], Number(args[3]));
} else {
  const agents = Number(flag(args, 'agents', 200000));
  const backends = String(flag(args, 'backends', 'cpu,webgpu')).split(',');
  const cases = String(flag(args, 'cases', Object.keys(CASES).join(','))).split(',');
  if (!Number.isInteger(agents) || agents < 1) throw new Error(`--agents: expected a positive integer, received ${flag(args, 'agents', '')}`);
  for (const b of backends) if (b !== 'cpu' && b !== 'webgpu') throw new Error(`--backends: expected cpu and/or webgpu, received ${b}`);
  for (const c of cases) if (!(c in CASES)) throw new Error(`--cases: expected some of ${Object.keys(CASES).join(', ')}, received ${c}`);
  console.error(JSON.stringify({ machine: machineInfo(), agents }));
  for (const name of cases) {
    for (const backend of backends) {
      try {
        emit(await runChildJson(process.execPath, [fileURLToPath(import.meta.url), '--child', name, backend, String(agents)], { timeoutMs: 600_000 }));
      } catch (error) {
        emit({ case: name, backend, agents, error: error.message });
      }
    }
  }
}
