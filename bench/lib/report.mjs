// The human-readable side of bench/run.mjs: markdown tables of the results and of Populace's ratios
// to PyTorch (the goals: forward <= 0.5x, forward+backward <= 1x, peak memory <= 0.5x).

/** The fields of one result row, in the order of the JSON document. */
export const RESULT_FIELDS = ['scenario', 'impl', 'backend', 'agents', 'edges', 'steps', 'fwdMsPerStep', 'fwdBwdMsPerStep', 'peakRssMb', 'agentStepsPerSec'];

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => (n == null ? '-' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : int(n));
const big = (n) => (n == null ? '-' : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);
const grad = (n) => (n == null ? '-' : Math.abs(n) >= 1e5 ? n.toExponential(3) : n.toFixed(1));
const ratio = (a, b) => (a == null || b == null ? '-' : `${(a / b).toFixed(2)}x`);

function markdown(header, rows, align) {
  const lines = [`| ${header.join(' | ')} |`, `|${align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** Rows: the results with their `dBeta` and `note` (not part of the JSON document). */
export function resultsTable(rows) {
  return markdown(
    ['scenario', 'impl', 'backend', 'agents', 'steps', 'fwd ms/step', 'fwd+bwd ms/step', 'peak RSS MB', 'agent-steps/s', 'd total / d beta', 'note'],
    rows.map((r) => [r.scenario, r.impl, r.backend, int(r.agents), r.steps, ms(r.fwdMsPerStep), ms(r.fwdBwdMsPerStep), r.peakRssMb == null ? '-' : int(r.peakRssMb), big(r.agentStepsPerSec), grad(r.dBeta), r.note ?? '']),
    ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

/** Populace / PyTorch for every size both ran; null when there is no PyTorch row. */
export function ratioTable(rows) {
  const out = [];
  for (const p of rows.filter((r) => r.impl === 'populace')) {
    const t = rows.find((r) => r.impl === 'pytorch' && r.scenario === p.scenario && r.agents === p.agents && r.steps === p.steps);
    if (!t) continue;
    // peak memory compares like with like: both ran the gradient, or both ran the forward pass only
    const sameWork = p.fwdMsPerStep != null && t.fwdMsPerStep != null && (p.fwdBwdMsPerStep == null) === (t.fwdBwdMsPerStep == null);
    out.push([p.scenario, int(p.agents), p.backend, ratio(p.fwdMsPerStep, t.fwdMsPerStep), ratio(p.fwdBwdMsPerStep, t.fwdBwdMsPerStep), sameWork ? `${ratio(p.peakRssMb, t.peakRssMb)}${p.fwdBwdMsPerStep == null ? ' (fwd only)' : ''}` : '-']);
  }
  if (!out.length) return null;
  return markdown(['scenario', 'agents', 'populace backend', 'forward (goal <= 0.5x)', 'fwd+bwd (goal <= 1x)', 'peak RSS (goal <= 0.5x)'], out, ['l', 'r', 'l', 'r', 'r', 'r']);
}
