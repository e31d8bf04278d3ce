/**
 * The hand-written mutation: cancelRun. The job mutations (startRun,
 * calibrate, sensitivity, runScenarios, sweep) are derived from server-kit's
 * operations (operation-schema.ts).
 */
import type { Executor, RunStore } from '@populace/server-kit';

export { MAX_WAIT_MS } from './operation-schema.js';

/** The resolvers' context: the fetch request and, over node:http, the peer's socket. */
type Ctx = { request?: Request; req?: { socket?: { remoteAddress?: string | undefined } } };

/** Mutation resolvers. */
export function mutationResolvers(kit: { readonly store: RunStore; readonly executor: Executor }) {
  const { executor } = kit;
  return {
    Mutation: {
      cancelRun: async (_: unknown, { id }: { id: string }) => {
        const { record, outcome } = await executor.cancel(id);
        return { run: record, outcome };
      },
    },
  };
}
