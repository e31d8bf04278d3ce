// The "network SIR" workload every implementation of this scenario runs (see bench/README.md):
// N agents, K = 10 uniformly random in-contacts each (CSR, E = N * K), beta = 0.05, gamma = 0.1,
// 0.1% initially infected; gradients of total new infections w.r.t. beta and gamma through
// straight-through Bernoulli samples.
import { PeakRss, emit, flag } from '../lib/measure.mjs';

export const SCENARIO = 'network-sir';
export const DEGREE = 10;
export const BETA = 0.05;
export const GAMMA = 0.1;
export const SEED_FRACTION = 0.001;

/** The child's options: --agents N --steps T --budget S [--backend B]. */
export function childOptions(defaultBackend) {
  const args = process.argv.slice(2);
  return {
    agents: Number(flag(args, 'agents', 100_000)),
    steps: Number(flag(args, 'steps', 20)),
    budgetS: Number(flag(args, 'budget', 240)),
    backend: flag(args, 'backend', defaultBackend),
  };
}

/**
 * One result row as it fills in. `report()` prints it after every phase (the parent keeps the last
 * line, so a crash in the backward pass still leaves the forward figures) and `notes` say why a
 * figure is missing.
 */
export class Row {
  constructor(impl, { backend, agents, steps }) {
    this.peak = new PeakRss();
    this.fields = { scenario: SCENARIO, impl, backend, agents, edges: agents * DEGREE, steps, fwdMsPerStep: null, fwdBwdMsPerStep: null, peakRssMb: null, agentStepsPerSec: null };
    this.extra = { dBeta: null, dGamma: null, notes: [], phase: 'started' };
  }
  forward(msPerStep) {
    this.fields.fwdMsPerStep = msPerStep;
    this.fields.agentStepsPerSec = (this.fields.agents * 1000) / msPerStep;
  }
  note(text) {
    this.extra.notes.push(text);
  }
  report(phase) {
    this.extra.phase = phase;
    this.fields.peakRssMb = this.peak.mb();
    emit({ ...this.fields, ...this.extra, note: this.extra.notes.join('; ') || undefined, notes: undefined });
  }
}

/** Whether a phase estimated at `estimateS` seconds fits the budget; notes it when it does not. */
export function fits(row, what, estimateS, budgetS) {
  if (estimateS <= budgetS) return true;
  row.note(`${what} skipped: estimated ${Math.round(estimateS)} s > budget ${budgetS} s`);
  return false;
}

/** Milliseconds `fn` takes (awaited). */
export async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
