/**
 * The command: `create-populace-plugin [dir] [--name <package>] [--plugin-name <name>] [--yes]`,
 * as `npm create populace-plugin@latest my-plugin` runs it. Asks for what is missing only when
 * stdin is a terminal and --yes is absent; otherwise uses the defaults (CI has no stdin).
 * Exit codes: 0 done, 2 bad input (one line on stderr), 1 anything else.
 */
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { checkPackageName, checkPluginName, packageNameFromDir, pluginNameFromPackage, ScaffoldError } from './names.js';
import { scaffoldPlugin } from './scaffold.js';

/** Where the command reads and writes. */
export interface MainIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Answers questions; absent when there is no terminal to ask (then defaults are used). */
  readonly ask?: (question: string, fallback: string) => Promise<string>;
}

/** The text of --help. */
export const USAGE = `Usage: create-populace-plugin <dir> [--name <package>] [--plugin-name <name>] [--yes]
       npm create populace-plugin@latest <dir> -- [--name <package>] [--plugin-name <name>] [--yes]

Scaffolds a TypeScript Populace plugin in <dir> (which must not exist or be empty): package.json
("populace": { "plugin": "./dist/plugin.js" }, keyword populace-plugin, peer dependency on
@populace/core), src/ with a differentiable SIR model and a well-mixed population, tests running
the conformance kit, a README and a changesets setup. Nothing is installed or downloaded.

  --name <package>        npm package name (default: from <dir>)
  --plugin-name <name>    plugin name, the namespace of its ids (default: from the package name,
                          e.g. populace-plugin-flu -> flu, ids flu/sir and flu/town)
  --yes, -y               ask nothing; use the defaults (also when stdin is not a terminal)
  --help, -h              this text
`;

/** Reads a line from the terminal, `fallback` on an empty answer. */
export function terminalAsk(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): (question: string, fallback: string) => Promise<string> {
  return async (question, fallback) => {
    const rl = createInterface({ input, output });
    try {
      const answer = (await rl.question(`${question} (${fallback}): `)).trim();
      return answer || fallback;
    } finally {
      rl.close();
    }
  };
}

async function scaffold(argv: readonly string[], io: MainIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { name: { type: 'string' }, 'plugin-name': { type: 'string' }, yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    const option = /'(-[^']*)'/.exec((error as Error).message)?.[1];
    if ((error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) throw new ScaffoldError(`unknown option '${option}'; the options are --name, --plugin-name, --yes and --help.`);
    throw new ScaffoldError(`${(error as Error).message.split('\n')[0]!.replace(/\.?$/, '.')} Run create-populace-plugin --help for the options.`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new ScaffoldError(`expected one target directory, received ${positionals.length}: ${positionals.join(' ')}.`);
  const ask = values.yes ? undefined : io.ask;
  let dir = positionals[0];
  if (dir === undefined) {
    if (!ask) throw new ScaffoldError('expected a target directory, e.g. npm create populace-plugin@latest my-plugin (with --yes or without a terminal nothing is asked).');
    dir = await ask('Directory', 'populace-plugin');
  }
  const packageName = checkPackageName(values.name ?? (ask ? await ask('Package name', packageNameFromDir(path.basename(path.resolve(dir)))) : packageNameFromDir(path.basename(path.resolve(dir)))));
  const suggested = pluginNameFromPackage(packageName);
  const pluginName = checkPluginName(values['plugin-name'] ?? (ask ? await ask('Plugin name (the namespace of its ids)', suggested) : suggested));
  const result = await scaffoldPlugin({ dir, packageName, pluginName });
  const rel = path.relative(process.cwd(), result.dir) || '.';
  io.stdout.write(
    `Created ${packageName} in ${rel}: plugin '${pluginName}' with ${pluginName}/sir and ${pluginName}/town (${result.files.length} files).\n\n` +
      `Next:\n  cd ${rel}\n  npm install\n  npm run build\n  npm test\n  npx populace run ${pluginName}/sir --population ${pluginName}/town --steps 120\n`,
  );
  return 0;
}

/** Runs the command and returns its exit code. */
export async function main(argv: readonly string[], io: MainIO): Promise<number> {
  try {
    return await scaffold(argv, io);
  } catch (error) {
    if (error instanceof ScaffoldError) {
      io.stderr.write(`create-populace-plugin: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`create-populace-plugin: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
}
