// Finds a Python that can `import torch`, for the optional PyTorch reference rows. The project never
// depends on it: without one those rows are left out.
import { spawnSync } from 'node:child_process';

let found;

/** The first of $PYTHON, python3, /usr/bin/python3, python that imports torch, or null. */
export function torchPython() {
  if (found !== undefined) return found;
  const candidates = [...new Set([process.env.PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(Boolean))];
  found = candidates.find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0) ?? null;
  return found;
}
