// The benchmark suite: every scenario x implementation x backend x size in its own child process
// (so peak RSS is that measurement's own), a markdown table, and with --json one JSON document
// { machine, results } on stdout and nothing else (the table and progress go to stderr).
// Usage: node bench/run.mjs --help. Scenarios live in bench/<scenario>/scenario.mjs.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { machineInfo, runChild } from './lib/measure.mjs';
import { USAGE, UsageError, parseOptions } from './lib/options.mjs';
import { RESULT_FIELDS, ratioTable, resultsTable } from './lib/report.mjs';
import networkSir from './network-sir/scenario.mjs';

const SCENARIOS = [networkSir];

let options;
try {
  options = parseOptions(process.argv.slice(2), SCENARIOS);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const human = options.json ? (text) => process.stderr.write(`${text}\n`) : (text) => process.stdout.write(`${text}\n`);
const progress = (text) => process.stderr.write(`${text}\n`);

/** The commit measured, for the record (the numbers move as the kernels change). */
function revision() {
  const git = (...args) => execFileSync('git', args, { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${commit}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown commit';
  }
}

/** One measurement: the child's last record, completed with nulls and a note when it failed. */
async function measure(scenario, implName, impl, backend, agents) {
  const { steps, budgetS } = options;
  const [command, args] = impl.command({ agents, steps, budgetS, backend });
  // every phase is estimated to fit the budget before it starts; the hard limit only catches bad estimates
  const timeoutMs = (3 * budgetS + 300) * 1000;
  const t0 = performance.now();
  const child = await runChild(command, args, { timeoutMs });
  const last = child.records.at(-1) ?? {};
  const row = Object.fromEntries(RESULT_FIELDS.map((f) => [f, last[f] ?? null]));
  Object.assign(row, { scenario: scenario.name, impl: implName, backend, agents, edges: last.edges ?? null, steps });
  const notes = last.note ? [last.note] : [];
  if (child.code !== 0 || (last.phase && last.phase !== 'done')) {
    const how = child.timedOut ? `killed after ${timeoutMs / 1000} s` : child.error ?? `exit ${child.code ?? child.signal}`;
    notes.push(`${last.phase === 'forward' ? 'fwd+bwd' : 'run'} failed (${how})`);
  }
  progress(`  ${scenario.name} ${implName}/${backend} ${agents.toLocaleString('en-US')} agents: ${((performance.now() - t0) / 1000).toFixed(1)} s${notes.length ? ` (${notes.join('; ')})` : ''}`);
  return { row, detail: { ...row, dBeta: last.dBeta ?? null, note: notes.join('; ') } };
}

/** Repeated measurements of one configuration as one: the median of each figure over the runs that produced it. */
function median(runs) {
  if (runs.length === 1) return runs[0];
  const mid = (values) => {
    const v = values.filter((x) => x != null).sort((a, b) => a - b);
    return v.length === 0 ? null : v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const row = { ...runs[0].row };
  for (const field of ['fwdMsPerStep', 'fwdBwdMsPerStep', 'peakRssMb']) row[field] = mid(runs.map((r) => r.row[field]));
  row.agentStepsPerSec = row.fwdMsPerStep == null ? null : (row.agents * 1000) / row.fwdMsPerStep;
  const note = [...new Set(runs.map((r) => r.detail.note).filter(Boolean))].join('; ');
  return { row, detail: { ...row, dBeta: mid(runs.map((r) => r.detail.dBeta)), note: `median of ${runs.length}${note ? `; ${note}` : ''}` } };
}

const machine = machineInfo();
const started = performance.now();
const results = [];
const details = [];
const load = () => os.loadavg()[0].toFixed(1);
progress(`bench: ${machine.cpus} x ${machine.cpuModel}, ${machine.memGb} GB, Node ${machine.node}; ${revision()}; ${new Date().toISOString().slice(0, 10)}; steps ${options.steps}, budget ${options.budgetS} s per phase, ${options.repeat} run(s) each; load average ${load()}`);
for (const scenario of options.selected) {
  const implEntries = Object.entries(scenario.impls).filter(([name]) => !options.impls.length || options.impls.includes(name));
  for (const [name, impl] of implEntries) if (!impl.available()) progress(`  ${scenario.name} ${name}: left out, ${impl.unavailable}`);
  const agentsList = options.agents.length ? options.agents : scenario.defaultAgents;
  for (const agents of agentsList) {
    for (const [name, impl] of implEntries) {
      if (!impl.available()) continue;
      for (const backend of impl.backends.filter((b) => !options.backends.length || options.backends.includes(b))) {
        const runs = [];
        for (let k = 0; k < options.repeat; k++) runs.push(await measure(scenario, name, impl, backend, agents));
        const { row, detail } = median(runs);
        results.push(row);
        details.push(detail);
      }
    }
  }
}

human('');
human(resultsTable(details));
const ratios = ratioTable(details);
if (ratios) human(`\nPopulace / PyTorch (lower is better)\n\n${ratios}`);
human(`\n${details.length} measurements in ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${load()} (work of other processes inflates the times)`);
if (options.json) process.stdout.write(`${JSON.stringify({ machine, results }, null, 2)}\n`);
