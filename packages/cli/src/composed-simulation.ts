/**
 * Composed runs on the command line: `<model>+<model>` as the model argument,
 * `--link <model>.<metric>=<model>.<input>` (repeatable), and per-model
 * `--population <model>=<id|file>` and `--agents <model>=N`. The composite is
 * one model: its metrics, parameters and inputs are named `<member>.<name>`
 * (`eggs.retailPrice`, `--param h5n1.farmToFarmRate=0.01`).
 */
import type { Composition, Runtime } from '@populace/core';
import { positiveInteger, usageError, type OptionSpec } from './args.js';

/** `--link` of run, calibrate and sensitivity. */
export const LINK_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  value: 'a.metric=b.input',
  description: "with <model>+<model>: feed a model's input from another's metric each step, e.g. epi/h5n1.birdsCulled=supplychain/eggs.layersLost (a *factor after the metric scales it); repeatable",
};

/** True when the model argument composes several models. */
export const isComposed = (model: string): boolean => model.includes('+');

/** Splits `a+b` into model ids, refusing empty parts. */
export function composedModels(model: string): string[] {
  const parts = model.split('+').map((p) => p.trim());
  if (parts.some((p) => p === '')) usageError(`expected models joined by '+', e.g. epi/h5n1+supplychain/eggs, received ${JSON.stringify(model)}.`, { received: model });
  return parts;
}

/** Parses per-model values `<model>=<value>` of --population or --agents in a composed run. */
function perModel(option: string, texts: readonly string[], example: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0 || eq === text.length - 1) usageError(`--${option} in a composed run: expected <model>=<value> for one of the composed models, e.g. --${option} ${example}, received ${JSON.stringify(text)}.`, { option, received: text });
    out.set(text.slice(0, eq).trim(), text.slice(eq + 1).trim());
  }
  return out;
}

/** The options of a composed run, checked for syntax. */
export interface ComposedArgs {
  readonly models: readonly string[];
  readonly links: readonly string[];
  readonly populations: ReadonlyMap<string, string>;
  readonly agents: ReadonlyMap<string, number>;
}

export function composedArgs(model: string, populations: readonly string[], agents: readonly string[], links: readonly string[]): ComposedArgs {
  return {
    models: composedModels(model),
    links,
    populations: perModel('population', populations, 'epi/h5n1=us-layer-farms'),
    agents: new Map([...perModel('agents', agents, 'epi/h5n1=2000')].map(([m, v]) => [m, positiveInteger('agents', v)])),
  };
}

/** Composes the models of a command line (population files are opened with `open`). */
export function composeFromArgs(runtime: Runtime, a: ComposedArgs, open: (value: string) => unknown): Composition {
  return runtime.compose({
    models: a.models,
    links: a.links,
    populations: Object.fromEntries([...a.populations].map(([m, v]) => [m, open(v)])),
    agents: Object.fromEntries(a.agents),
  });
}
