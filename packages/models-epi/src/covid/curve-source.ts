/**
 * Where a simulation's reproduction curve came from: the population and the parameter values it
 * was measured for, under a numeric token stored beside the curve in the environment (tensors
 * hold numbers only). curve-sensitivity.ts uses it to measure how the curve moves with a
 * parameter. The population is held weakly; the registry keeps the most recent 1,024 sources.
 */
import type { ParamValue, PopulationData } from '@populace/core';

export interface CurveSource {
  readonly population: WeakRef<PopulationData> | undefined;
  readonly params: Readonly<Record<string, ParamValue>>;
}

const MAX_SOURCES = 1024;
const sources = new Map<number, CurveSource>();
let next = 1;

/** Registers the population and parameters of a curve; returns its token (an integer exact in float32). */
export function registerCurveSource(population: PopulationData | undefined, params: Readonly<Record<string, ParamValue>>): number {
  const token = next;
  next = next >= 2 ** 24 - 1 ? 1 : next + 1;
  sources.set(token, { population: population === undefined ? undefined : new WeakRef(population), params: { ...params } });
  if (sources.size > MAX_SOURCES) sources.delete(sources.keys().next().value!);
  return token;
}

/** The source of a token, if still registered. */
export const curveSource = (token: number): CurveSource | undefined => sources.get(token);
