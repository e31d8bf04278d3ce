// Command-line options of bench/run.mjs. A bad option is a UsageError: one line, exit code 2.

export class UsageError extends Error {}

export const USAGE = `Usage: node bench/run.mjs [options]   (or: npm run --silent bench -- [options])
  --scenario NAME[,NAME]   scenarios to run (repeatable; default: all)
  --agents N[,N]           population sizes (repeatable; 100000, 100k, 1M, 8.4M; default: the scenario's)
  --steps T                simulated days per measurement (default 20)
  --impl NAME[,NAME]       implementations: populace, tfjs-ops, pytorch (repeatable; default: all available)
  --backend NAME[,NAME]    backends to keep (repeatable; e.g. cpu, wasm; default: every backend of each impl)
  --budget S               seconds a phase (forward, forward+backward) may be estimated to take before it
                           is skipped and reported as null (default 240)
  --repeat N               run each measurement N times and report the median of each figure (default 1)
  --json                   print one JSON document on stdout, the table on stderr
  --help                   this text`;

const SUFFIX = { k: 1e3, K: 1e3, m: 1e6, M: 1e6 };

function positiveInteger(text, what) {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmM]?)$/.exec(text.replaceAll('_', ''));
  const value = m ? Math.round(Number(m[1]) * (SUFFIX[m[2]] ?? 1)) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${what}: expected a positive integer (e.g. 100000, 100k, 8.4M), received '${text}'`);
  return value;
}

const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** Parses argv against the scenarios ({ name, defaultAgents, impls }); throws UsageError. */
export function parseOptions(argv, scenarios) {
  const o = { scenarios: [], agents: [], steps: 20, impls: [], backends: [], budgetS: 240, repeat: 1, json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') o.json = true;
    else if (arg === '--help' || arg === '-h') o.help = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      if (!['scenario', 'agents', 'steps', 'impl', 'backend', 'budget', 'repeat'].includes(name)) throw new UsageError(`unknown option '${arg}' (expected --scenario, --agents, --steps, --impl, --backend, --budget, --repeat, --json, --help)`);
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
      if (name === 'scenario') o.scenarios.push(...list(value));
      else if (name === 'agents') o.agents.push(...list(value).map((v) => positiveInteger(v, '--agents')));
      else if (name === 'steps') o.steps = positiveInteger(value, '--steps');
      else if (name === 'impl') o.impls.push(...list(value));
      else if (name === 'backend') o.backends.push(...list(value));
      else if (name === 'repeat') o.repeat = positiveInteger(value, '--repeat');
      else {
        o.budgetS = Number(value);
        if (!(o.budgetS > 0)) throw new UsageError(`--budget: expected a positive number of seconds, received '${value}'`);
      }
    } else throw new UsageError(`unexpected argument '${arg}' (options start with --; see --help)`);
  }
  const names = scenarios.map((s) => s.name);
  for (const s of o.scenarios) if (!names.includes(s)) throw new UsageError(`unknown scenario '${s}' (expected one of: ${names.join(', ')})`);
  const selected = o.scenarios.length ? scenarios.filter((s) => o.scenarios.includes(s.name)) : scenarios;
  const impls = [...new Set(selected.flatMap((s) => Object.keys(s.impls)))];
  for (const impl of o.impls) if (!impls.includes(impl)) throw new UsageError(`unknown implementation '${impl}' (expected one of: ${impls.join(', ')})`);
  const backends = [...new Set(selected.flatMap((s) => Object.values(s.impls).flatMap((i) => i.backends)))];
  for (const b of o.backends) if (!backends.includes(b)) throw new UsageError(`unknown backend '${b}' (expected one of: ${backends.join(', ')})`);
  const runs = selected.some((s) => Object.entries(s.impls).some(([name, impl]) => (!o.impls.length || o.impls.includes(name)) && impl.backends.some((b) => !o.backends.length || o.backends.includes(b))));
  if (!runs) throw new UsageError(`no implementation of ${selected.map((s) => s.name).join(', ')} runs on backend ${o.backends.join(', ')} with --impl ${o.impls.join(',')}`);
  return { ...o, selected };
}
