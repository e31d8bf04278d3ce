/**
 * Writing a PopulationData to files: the agents table, one edge list per
 * stored layer and a manifest that `loadPopulationManifest` reads back into
 * the same population (same counts, attributes with their dtypes and labels,
 * CSR layers edge for edge, hashed layers by their parameters).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PopulaceError, type AttributeArray, type PopulationData } from '@populace/core';
import type { NumericType } from './columns.js';
import type { AttributeSpec, EdgeListSpec, HashedLayerSpec, PopulationManifest } from './manifest.js';
import { TABLE_FORMATS, writeTable, type ColumnOutput, type TableFormat } from './table-io.js';

/** Options of `writePopulation`. */
export interface WritePopulationOptions {
  /** `csv` (default) or `parquet`. */
  readonly format?: TableFormat;
  /** Manifest file name in `dir` (default `population.json`). */
  readonly manifest?: string;
  readonly description?: string;
}

function numericType(values: AttributeArray): NumericType {
  if (values instanceof Uint8Array) return 'uint8';
  if (values instanceof Uint16Array) return 'uint16';
  if (values instanceof Int32Array || values instanceof Int16Array || values instanceof Int8Array) return 'int32';
  if (values instanceof Float32Array) return 'float32';
  return 'float64';
}

const outputType = (type: NumericType): ColumnOutput['type'] => (type === 'float32' ? 'float32' : type === 'float64' ? 'float64' : 'int');

/**
 * Writes `data` into `dir` (created if needed) as `<agentType>.<ext>`, `<layer>.edges.<ext>` and a
 * manifest; returns the manifest's path. Edge rows are (source, target, weight): row `target` of
 * the CSR lists `source`. Int8/Int16 attributes are written as int32, Uint32 and plain arrays as
 * float64.
 *
 * @example
 * ```ts
 * const manifest = writePopulation(data, 'out/town', { format: 'parquet' });
 * const again = await loadPopulationManifest(manifest); // the same population
 * ```
 */
export function writePopulation(data: PopulationData, dir: string, options: WritePopulationOptions = {}): string {
  const format = options.format ?? 'csv';
  if (!(TABLE_FORMATS as readonly string[]).includes(format)) {
    throw new PopulaceError('invalid-argument', `writePopulation: expected format ${TABLE_FORMATS.map((f) => `'${f}'`).join(' or ')}, received ${JSON.stringify(format)}.`);
  }
  const types = Object.keys(data?.agents ?? {});
  if (types.length !== 1) {
    throw new PopulaceError('invalid-argument', `writePopulation: expected a population with exactly one agent type, received ${types.length} (${types.join(', ') || 'none'}). Write each agent type's data separately.`);
  }
  const type = types[0]!;
  const table = data.agents[type]!;
  mkdirSync(dir, { recursive: true });
  const agentsFile = `${type}.${format}`;
  const columns: ColumnOutput[] = [{ name: 'id', data: new Int32Array(table.count).map((_, i) => i), type: 'int' }];
  const attributes: Record<string, AttributeSpec> = {};
  for (const [name, values] of Object.entries(table.attributes ?? {})) {
    const labels = table.labels?.[name];
    const dtype = numericType(values);
    attributes[name] = labels ? { type: 'category', labels: [...labels] } : { type: dtype };
    columns.push({ name, data: values, type: labels ? 'int' : outputType(dtype) });
  }
  writeTable(path.join(dir, agentsFile), format, columns);
  const networks: Record<string, EdgeListSpec | HashedLayerSpec> = {};
  for (const [name, net] of Object.entries(data.networks ?? {})) {
    if (net.agents !== type) throw new PopulaceError('invalid-argument', `writePopulation: network '${name}' connects '${net.agents}', expected '${type}'.`);
    if (net.kind === 'hashed') {
      networks[name] = { hashed: { degree: net.degree, key: net.key }, ...(net.description ? { description: net.description } : {}) };
      continue;
    }
    const edges = net.colIdx.length;
    const target = new Int32Array(edges);
    for (let i = 0; i < table.count; i++) target.fill(i, net.rowPtr[i]!, net.rowPtr[i + 1]!);
    const file = `${name}.edges.${format}`;
    writeTable(path.join(dir, file), format, [
      { name: 'source', data: net.colIdx, type: 'int' },
      { name: 'target', data: target, type: 'int' },
      ...(net.weights ? [{ name: 'weight', data: net.weights, type: 'float32' as const }] : []),
    ]);
    networks[name] = { file, weight: net.weights ? 'weight' : false, ...(net.description ? { description: net.description } : {}) };
  }
  const manifest: PopulationManifest = {
    ...(options.description ? { description: options.description } : {}),
    agents: { type, file: agentsFile, id: 'id', attributes },
    ...(Object.keys(networks).length > 0 ? { networks } : {}),
  };
  const manifestPath = path.join(dir, options.manifest ?? 'population.json');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return manifestPath;
}
