/**
 * The worker thread of `createPopulationBuilder`: loads the plugins its source
 * names, builds one population and posts its agent tables (and networks,
 * when asked) back, their arrays transferred (not copied). One build per worker: when it exits, all
 * the memory of the build goes with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRuntime, PopulaceError, type AgentTable, type CsrNetwork, type HashedNetwork, type PluginDefinition, type Runtime } from '@populace/core';
import { loadRuntime } from './plugins/load-runtime.js';
import type { PopulationWorkerRequest } from './population-worker.js';

/** A runtime with the plugins `source` names: modules to import, or the discovery the server made. */
async function runtimeOf(source: PopulationWorkerRequest['source']): Promise<Runtime> {
  if ('modules' in source) {
    const plugins: PluginDefinition[] = [];
    for (const m of source.modules) {
      const mod = (await import(m)) as { default?: PluginDefinition; plugin?: PluginDefinition };
      const p = mod.default ?? mod.plugin;
      if (!p) throw new PopulaceError('plugin-load-failed', `population worker: ${m} exports no plugin (a default export or 'plugin').`);
      plugins.push(p);
    }
    return createRuntime({ plugins, backend: 'cpu' });
  }
  // package names are also looked up from where server-kit is installed (INSTALL_DIR), as the server did
  return (await loadRuntime({ ...(source.cwd ? { cwd: source.cwd } : {}), ...(source.config ? { config: source.config } : {}), plugins: source.plugins ?? [], backend: 'cpu' })).runtime;
}

async function build(request: PopulationWorkerRequest): Promise<void> {
  const runtime = await runtimeOf(request.source);
  const data = await runtime.populations.get(request.id).definition.build({ ...(request.agents === undefined ? {} : { agents: request.agents }), seed: request.seed });
  const buffers = new Set<ArrayBuffer>();
  const transfer = (a: unknown) => {
    if (ArrayBuffer.isView(a) && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  };
  const agents: Record<string, AgentTable> = {};
  for (const [type, table] of Object.entries(data.agents)) {
    agents[type] = table;
    for (const a of Object.values(table.attributes ?? {})) transfer(a);
  }
  const networks: Record<string, CsrNetwork | HashedNetwork> = {};
  if (request.networks) {
    for (const [name, net] of Object.entries(data.networks ?? {})) {
      networks[name] = net;
      if (net.kind !== 'hashed') [net.rowPtr, net.colIdx, net.weights].forEach(transfer);
    }
  }
  parentPort!.postMessage({ ok: true, agents, ...(request.networks ? { networks } : {}) }, [...buffers]);
}

build(workerData as PopulationWorkerRequest).catch((error: unknown) => {
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  parentPort!.postMessage({ ok: false, code: PopulaceError.isInstance(error) ? e.code : 'internal', message: String(e.message ?? error), details: PopulaceError.isInstance(error) ? e.details : undefined });
});
