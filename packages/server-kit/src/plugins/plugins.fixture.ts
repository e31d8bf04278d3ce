/**
 * Projects on disk for the plugin-loading tests: a temporary root (removed after the file's
 * tests) holding directories with node_modules, config files and plugin modules.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** @populace/core's entry as a URL: fixture modules import it by URL so they resolve from a temp directory. */
export const CORE_URL = import.meta.resolve('@populace/core');

/** The source of a module exporting a plugin named `name` (version 1.0.0) as default and as `plugin`. */
export const pluginSource = (name: string): string => `
import { definePlugin } from ${JSON.stringify(CORE_URL)};
export const plugin = definePlugin({ name: ${JSON.stringify(name)}, version: '1.0.0' });
export default plugin;
`;

/** A temporary root removed after the calling file's tests, and `project(name, files)` writing files under it. */
export function projects(prefix: string): { root: string; project: (name: string, files: Record<string, string>) => string } {
  const root = mkdtempSync(path.join(tmpdir(), `populace-${prefix}-`));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const project = (name: string, files: Record<string, string>): string => {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
    return dir;
  };
  return { root, project };
}
