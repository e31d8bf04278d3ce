// The network-sir scenario for bench/run.mjs: its default sizes and how each implementation runs
// one measurement (a child process per implementation, backend and size).
import { fileURLToPath } from 'node:url';
import { torchPython } from '../lib/python.mjs';
import { SCENARIO } from './workload.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const childArgs = ({ agents, steps, budgetS, backend }) => ['--agents', String(agents), '--steps', String(steps), '--budget', String(budgetS), '--backend', backend];

export default {
  name: SCENARIO,
  description: 'SIR over N agents with 10 random in-contacts each; forward and d(total infections)/d(beta, gamma)',
  defaultAgents: [100_000, 1_000_000, 8_400_000],
  impls: {
    populace: {
      backends: ['cpu', 'wasm'],
      available: () => true,
      command: (o) => [process.execPath, [here('./populace.mjs'), ...childArgs(o)]],
    },
    'tfjs-ops': {
      backends: ['cpu'],
      available: () => true,
      command: (o) => [process.execPath, [here('./tfjs-ops.mjs'), ...childArgs(o)]],
    },
    pytorch: {
      backends: ['cpu'],
      available: () => torchPython() !== null,
      unavailable: 'no python3 that can `import torch` (set $PYTHON to one)',
      command: ({ agents, steps, budgetS }) => [torchPython(), [here('../pytorch/network_sir.py'), '--agents', String(agents), '--steps', String(steps), '--budget', String(budgetS), '--threads', '2']],
    },
  },
};
