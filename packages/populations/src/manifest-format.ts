/**
 * The `manifest` population format: lets tools take the path of a population
 * manifest (.json, .yaml or .yml) wherever they take a population id
 * (`populace run epi/sir --population town/population.yaml`). The population
 * is `filePopulation`'s; its digest covers the manifest and every file it names.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { definePopulationFormat, type OpenedPopulationFile, type PopulationFileAccess } from '@populace/core';
import { filePopulation } from './file-population.js';
import { readManifest } from './manifest.js';

/** The extensions of population manifests. */
export const MANIFEST_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/**
 * `sha256:<hex>` over the files in order: the SHA-256 of the lines `<byte length>:<sha256 of the
 * file>`, one per file (so moving bytes between files changes it). Reads 1 MiB at a time.
 *
 * @example
 * ```ts
 * digestFiles(['town/population.yaml', 'town/people.csv']); // 'sha256:9f2c...'
 * ```
 */
export function digestFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      const inner = createHash('sha256');
      let total = 0;
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
        inner.update(buffer.subarray(0, n));
        total += n;
      }
      hash.update(`${total}:${inner.digest('hex')}\n`);
    } finally {
      closeSync(fd);
    }
  }
  return `sha256:${hash.digest('hex')}`;
}

/** A local id from a manifest's file name (`population.yaml` -> `population`). */
function idOf(file: string): string {
  const base = path.basename(file).replace(/\.(json|ya?ml)$/i, '').replace(/[^A-Za-z0-9_.:-]/g, '-');
  return /^[A-Za-z]/.test(base) ? base : `file-${base}`;
}

/** Opens a manifest as a population: checked, agents counted, files listed and hashed. */
export function openManifest(file: string, access: PopulationFileAccess = {}): OpenedPopulationFile {
  const resolved = readManifest(file, access);
  const files = [path.resolve(file), resolved.agents.path, ...resolved.networks.flatMap((n) => (n.table ? [n.table.path] : []))];
  const population = filePopulation({ id: idOf(file), manifest: file, ...(access.check ? { check: access.check } : {}) });
  return { population, digest: digestFiles(files), files };
}

/**
 * The format the `populations` plugin contributes.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ plugins: [populations, epi] });
 * const sim = runtime.createSimulation({ model: 'epi/sir', population: 'town/population.yaml', seed: 1 });
 * ```
 */
export const manifestFormat = definePopulationFormat({
  id: 'manifest',
  description: 'a population manifest (.json, .yaml or .yml) naming a CSV or Parquet agents table and optional edge-list layers',
  extensions: [...MANIFEST_EXTENSIONS],
  open: openManifest,
});
