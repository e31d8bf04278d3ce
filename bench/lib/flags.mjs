// Command-line flags of the gradient benchmarks (gradients-fd, ode-viral-gradients, sd-allocation,
// sd-terms): `--name value` pairs and bare switches, --help, and for a bad flag one line on stderr
// and exit code 2.

/**
 * The flag parser of benchmark `name`. `parse(argv, handlers, switches)` calls
 * `handlers['--flag'](value, read)` for each `--flag value` pair and `switches['--flag']()` for
 * each bare switch; `read.int(min)` and `read.number(lo, hi)` check the value.
 */
export function cli(name, help) {
  const fail = (message) => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(2);
  };
  const parse = (argv, handlers, switches = {}) => {
    for (let i = 0; i < argv.length; i++) {
      const flag = argv[i];
      if (flag === '--help' || flag === '-h') {
        process.stdout.write(`${help}\n`);
        process.exit(0);
      }
      if (switches[flag]) {
        switches[flag]();
        continue;
      }
      const handler = handlers[flag];
      if (!handler) fail(`unknown option '${flag}' (see --help)`);
      const value = argv[++i];
      if (value === undefined) fail(`${flag} expects a value`);
      const read = {
        int(min, text = value) {
          const n = Number(text);
          if (!Number.isInteger(n) || n < min) fail(`${flag} expects an integer >= ${min}, received '${value}'`);
          return n;
        },
        number(lo, hi) {
          const n = Number(value);
          if (!(n > lo && n < hi)) fail(`${flag} expects a number in (${lo}, ${hi}), received '${value}'`);
          return n;
        },
        oneOf(choices) {
          if (!choices.includes(value)) fail(`${flag} expects ${choices.join(' or ')}, received '${value}'`);
          return value;
        },
      };
      handler(value, read);
    }
  };
  return { fail, parse };
}

/** The model's description after checking that `params` are scalar learnable parameters and `metric` a metric of it. */
export function describeScalarParams(runtime, model, params, metric, fail) {
  let described;
  try {
    described = runtime.describeModel(model);
  } catch (error) {
    fail(error.message);
  }
  for (const p of params) {
    const spec = described.parameters[p];
    if (!spec || !spec.learnable || Array.isArray(spec.default)) fail(`--params: '${p}' is not a scalar learnable parameter of ${model}`);
  }
  if (!(metric in described.metrics)) fail(`--metric: '${metric}' is not a metric of ${model} (${Object.keys(described.metrics).join(', ')})`);
  return described;
}

/** Handlers of the flags that choose what runs (model, population, parameters, agents), writing into `o`. */
export const runFlags = (o) => ({
  '--model': (v) => (o.model = v),
  '--population': (v) => (o.population = v),
  '--params': (v) => (o.params = v.split(',').filter(Boolean)),
  '--agents': (_, read) => (o.agents = read.int(1)),
});
