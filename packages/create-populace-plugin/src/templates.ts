/**
 * The files of a new plugin project, as text, from its names. A small differentiable SIR model
 * over a well-mixed population: 0/1 compartment indicators in float32, events drawn with
 * surrogate gradients, so that `calibrate` and `sensitivity` work on it from the first commit.
 */
import { CORE_RANGE, DEV_TOOLS } from './versions.js';

/** The names the templates are filled with. */
export interface TemplateNames {
  /** npm package name. */
  readonly packageName: string;
  /** Plugin name: the namespace of its ids. */
  readonly pluginName: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function packageJson({ packageName, pluginName }: TemplateNames): string {
  return json({
    name: packageName,
    version: '0.1.0',
    description: `Populace plugin '${pluginName}': a differentiable SIR model (${pluginName}/sir) and a well-mixed population (${pluginName}/town)`,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    keywords: ['populace-plugin', 'populace', 'agent-based-model'],
    files: ['dist', 'README.md'],
    exports: {
      '.': { types: './dist/plugin.d.ts', import: './dist/plugin.js' },
      './package.json': './package.json',
    },
    populace: { plugin: './dist/plugin.js' },
    engines: { node: '>=20.11' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      test: 'vitest run',
      changeset: 'changeset',
      version: 'changeset version',
      release: 'npm run build && npm test && changeset publish',
    },
    peerDependencies: { '@populace/core': CORE_RANGE },
    devDependencies: { '@populace/core': CORE_RANGE, ...DEV_TOOLS },
  });
}

const TSCONFIG = json({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    declaration: true,
    sourceMap: true,
    outDir: 'dist',
    rootDir: 'src',
    skipLibCheck: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
  },
  include: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts'],
});

const MODEL = `/**
 * SIR over a well-mixed population, one step per day. Each compartment is a float32 0/1
 * indicator per agent, and events are drawn with ctx.sample (surrogate gradients), so the
 * model is differentiable: calibrate and sensitivity work on its learnable parameters.
 */
import { defineModel, defineSubstep, sumAll, sumOf, tf, type InitContext } from '@populace/core';

const S = 'agents/people/susceptible';
const I = 'agents/people/infectious';
const R = 'agents/people/recovered';

/** 1 for the first \`seedInfections\` agents when \`infectious\`, for the others when not. */
const seeded = (infectious: boolean) => (ctx: InitContext): Float32Array => {
  const k = Math.min(Number(ctx.params.seedInfections), ctx.count);
  return Float32Array.from({ length: ctx.count }, (_, i) => (i < k === infectious ? 1 : 0));
};

const day = defineSubstep({
  name: 'day',
  description: 'infection by homogeneous mixing (hazard beta * I / N), then recovery',
  reads: [S, I, R],
  writes: [S, I, R, 'env/newInfections'],
  transition: (ctx) => {
    const [s, i, r] = [ctx.get(S), ctx.get(I), ctx.get(R)];
    const pressure = tf.div(sumAll(i), ctx.count('people'));
    const infected = ctx.sample.hazard(ctx.param('beta'), pressure, { mask: s, stream: 'infect' });
    const recovered = ctx.sample.bernoulli(ctx.param('gamma'), { mask: i, stream: 'recover' });
    return {
      [S]: tf.sub(s, infected),
      [I]: tf.add(tf.sub(i, recovered), infected),
      [R]: tf.add(r, recovered),
      'env/newInfections': sumAll(infected),
    };
  },
});

/** \`<plugin>/sir\`: parameters beta and gamma (learnable) and seedInfections. */
export const sir = defineModel({
  id: 'sir',
  description: 'stochastic SIR over a well-mixed population, one step per day (differentiable)',
  state: {
    agents: {
      people: {
        description: 'everyone, as 0/1 compartment indicators (float32, so that gradients flow)',
        properties: {
          susceptible: { dtype: 'float32', init: seeded(false), description: '1 while susceptible' },
          infectious: { dtype: 'float32', init: seeded(true), description: '1 while infectious' },
          recovered: { dtype: 'float32', init: 0, description: '1 once recovered' },
        },
      },
    },
    environment: { newInfections: { dtype: 'float32', init: 0, description: 'infections that day' } },
  },
  parameters: {
    beta: { default: 0.3, bounds: [0, 10], learnable: true, unit: '1/day', description: 'transmission rate' },
    gamma: { default: 0.1, bounds: [0, 1], learnable: true, unit: '1/day', description: 'daily recovery probability' },
    seedInfections: { default: 10, bounds: [0, 1e9], integer: true, description: 'agents infectious at day 0' },
  },
  substeps: [day],
  metrics: {
    S: sumOf(S, 'susceptible agents'),
    I: sumOf(I, 'infectious agents'),
    R: sumOf(R, 'recovered agents'),
    newInfections: sumOf('env/newInfections', 'new infections that day'),
  },
  defaultAgents: 10_000,
});
`;

const POPULATION = `/**
 * A well-mixed town: people and nothing else (no contact network, no attributes). Replace it
 * with your own data: agent counts, attributes per agent, contact networks in CSR form.
 */
import { definePopulation } from '@populace/core';

/** \`<plugin>/town\`: \`agents\` people (default 10,000). */
export const town = definePopulation({
  id: 'town',
  description: 'a well-mixed town of people (no contact network)',
  defaultAgents: 10_000,
  maxAgents: 10_000_000,
  build: ({ agents = 10_000 }) => ({ agents: { people: { count: agents } } }),
});
`;

function pluginSource({ pluginName }: TemplateNames): string {
  return `/**
 * The plugin: its name is the namespace of every id it contributes (${pluginName}/sir,
 * ${pluginName}/town). package.json points Populace here with "populace": { "plugin": "./dist/plugin.js" }.
 */
import { createRequire } from 'node:module';
import { definePlugin } from '@populace/core';
import { sir } from './model.js';
import { town } from './population.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export const plugin = definePlugin({
  name: '${pluginName}',
  version,
  description: 'a differentiable SIR model and a well-mixed population',
  models: [sir],
  populations: [town],
});

export default plugin;
`;
}

function pluginTest({ pluginName }: TemplateNames): string {
  return `import { createRuntime, sensitivity } from '@populace/core';
import { checkPluginConformance } from '@populace/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from './plugin.js';

describe('the ${pluginName} plugin', () => {
  it('passes the conformance kit of @populace/core', async () => {
    const report = await checkPluginConformance(plugin, { steps: 5 });
    expect(report.failures).toEqual([]);
  }, 60_000);

  it('${pluginName}/sir spreads when beta > gamma, and more transmission means more infections', async () => {
    const runtime = createRuntime({ plugins: [plugin], backend: 'cpu' });
    const sim = runtime.createSimulation({ model: '${pluginName}/sir', population: '${pluginName}/town', agents: 2000, seed: 1 });
    const { metrics } = await sim.run({ steps: 40 });
    expect(metrics.R.at(-1)).toBeGreaterThan(100);
    const s = await sensitivity(sim, { output: 'newInfections:sum', steps: 40 });
    expect(s.gradients.beta).toBeGreaterThan(0);
    sim.dispose();
  }, 60_000);
});
`;
}

function readme({ packageName, pluginName }: TemplateNames): string {
  return `# ${packageName}

A [Populace](https://www.npmjs.com/package/@populace/core) plugin. Its plugin name, \`${pluginName}\`, is
the namespace of every id it contributes.

| id | what |
|---|---|
| \`${pluginName}/sir\` | stochastic SIR over a well-mixed population, one step per day, differentiable. Parameters: \`beta\` (learnable, default 0.3), \`gamma\` (learnable, default 0.1), \`seedInfections\` (default 10). Metrics: \`S\`, \`I\`, \`R\`, \`newInfections\` |
| \`${pluginName}/town\` | a well-mixed town of \`agents\` people (default 10,000), no contact network |

## Develop

\`\`\`sh
npm install
npm run build      # tsc -> dist/
npm test           # vitest: core's conformance kit and the model's own checks
\`\`\`

## Use it

Installed next to \`@populace/cli\`, Populace finds it through \`"populace": { "plugin": "./dist/plugin.js" }\`
in package.json:

\`\`\`sh
npx populace run ${pluginName}/sir --population ${pluginName}/town --agents 10000 --steps 120 --seed 1
npx populace sensitivity ${pluginName}/sir --population ${pluginName}/town --agents 10000 --steps 60 --output newInfections:sum
\`\`\`

From code:

\`\`\`ts
import { createRuntime } from '@populace/core';
import plugin from '${packageName}';

const populace = createRuntime({ plugins: [plugin] });
const sim = populace.createSimulation({ model: '${pluginName}/sir', population: '${pluginName}/town', agents: 10_000, seed: 1 });
const { metrics } = await sim.run({ steps: 120 });
\`\`\`

## Keep it differentiable

Gradients flow only through float32 state and ops that have one: keep compartments as 0/1 float32
indicators, draw events with \`ctx.sample.bernoulli\` / \`ctx.sample.hazard\`, report with \`sumOf\` /
\`meanOf\`. Comparisons (\`tf.equal\`, \`tf.less\`) and boolean logic have no gradient: \`populace sensitivity\`
and \`calibrate\` then name the substep or metric that uses them. The conformance kit checks that every
learnable parameter gets a finite, non-zero gradient. See the plugin guide, PLUGINS.md in @populace/core.

## Publish

Versions and changelogs come from [changesets](https://github.com/changesets/changesets):

\`\`\`sh
npx changeset          # describe the change (patch, minor, major)
npm run version        # apply the changesets: bump package.json, write CHANGELOG.md
npm run release        # build, test, npm publish
\`\`\`

Keep the keyword \`populace-plugin\` (how people find plugins on npm) and the peer dependency
\`@populace/core@${CORE_RANGE}\`.
`;
}

const CHANGESET_CONFIG = json({
  $schema: 'https://unpkg.com/@changesets/config@3.1.1/schema.json',
  changelog: '@changesets/cli/changelog',
  commit: false,
  fixed: [],
  linked: [],
  access: 'public',
  baseBranch: 'main',
  updateInternalDependencies: 'patch',
  ignore: [],
});

const CHANGESET_README = `# Changesets

Each user-visible change gets a file here: run \`npx changeset\`, pick patch, minor or major, and
describe the change in one paragraph. \`npm run version\` turns them into a version bump and a
CHANGELOG entry; \`npm run release\` publishes.
`;

const GITIGNORE = `node_modules/
dist/
*.tsbuildinfo
`;

/** Every file of a new plugin project, by path relative to its directory. */
export function pluginFiles(names: TemplateNames): Record<string, string> {
  return {
    'package.json': packageJson(names),
    'tsconfig.json': TSCONFIG,
    'src/model.ts': MODEL,
    'src/population.ts': POPULATION,
    'src/plugin.ts': pluginSource(names),
    'src/plugin.test.ts': pluginTest(names),
    'README.md': readme(names),
    '.changeset/config.json': CHANGESET_CONFIG,
    '.changeset/README.md': CHANGESET_README,
    '.gitignore': GITIGNORE,
  };
}
