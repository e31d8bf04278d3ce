/**
 * Readable summaries of runs, for the text of job operations' results.
 */
import { summarizeSeries } from '../compare.js';
import type { RunRecord } from '../run-record.js';
import type { RunStore } from '../run-store.js';

const num = (v: number): string => (!Number.isFinite(v) ? '-' : Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(4));

/** One line about a run: id, what, status, progress, time. */
export function runHeadline(r: RunRecord): string {
  const what = `${r.kind === 'run' ? '' : `${r.kind} of `}${r.model}${r.population ? ` on ${r.population}` : ''}, ${r.agents} agents, seed ${r.seed}${r.label ? `, '${r.label}'` : ''}`;
  const time = r.wallMs === null ? '' : ` in ${(r.wallMs / 1000).toFixed(1)} s`;
  return `Run ${r.id} (${what}): ${r.status}${time}, ${r.progress.done}/${r.progress.total} ${r.progress.unit}.`;
}

/** The headline, the error if any, and each metric's final and peak values. */
export function runText(r: RunRecord, store: RunStore): string {
  const lines = [runHeadline(r)];
  if (r.error) lines.push(`Error (${r.error.code}): ${r.error.message}`);
  if (r.status === 'queued' || r.status === 'running') lines.push(`Still ${r.status}: call get_run with runId '${r.id}' to follow it, or cancel_run to stop it.`);
  const snapshot = r.kind === 'run' && r.result && 'snapshot' in r.result ? r.result.snapshot : undefined;
  if (snapshot) lines.push(`Snapshot: ${snapshot.columns.map((c) => c.name).join(', ')} of ${snapshot.agents} agents (${snapshot.agentType}) after steps ${snapshot.steps.join(', ')}, in result.snapshot.`);
  if (r.stepsRecorded > 0) {
    const { series } = store.series(r.id);
    lines.push(`Metrics over ${r.stepsRecorded} steps (final; peak at step):`);
    for (const [name, values] of Object.entries(series)) {
      const s = summarizeSeries(values);
      lines.push(`  ${name}: ${num(s.final)}; peak ${num(s.peak)} at step ${num(s.peakStep)}; total ${num(s.total)}`);
    }
  }
  return lines.join('\n');
}
