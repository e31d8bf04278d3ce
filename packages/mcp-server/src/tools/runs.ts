/**
 * Tools that follow runs: get_run, list_runs, cancel_run (run_simulation is
 * an operation: tools/operations.ts).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { isTerminal, RUN_KINDS, RUN_STATUSES } from '@populace/server-kit';
import { z } from 'zod';
import { follow, type ToolContext } from '../context.js';
import { runHeadline, runText } from '../run-text.js';
import { runRecord } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';

/** How long get_run waits for a run to end. */
const waitInput = z.number().min(0).max(600).optional().describe('Seconds to wait for the run to finish before returning (default 0: at once).');

/** Registers get_run, list_runs and cancel_run. */
export function registerRunTools(server: McpServer, ctx: ToolContext): void {
  const { store, executor } = ctx.kit;

  server.registerTool(
    'get_run',
    {
      title: 'Get a run',
      description: 'Returns a run record (any kind: run, calibrate, sensitivity, scenarios): status, progress, parameters, timings, error, result, and a summary of its metrics. waitSeconds waits for it to finish first.',
      inputSchema: { runId: z.string().min(1).describe('The run id (run-...).'), waitSeconds: waitInput },
      outputSchema: { run: runRecord, finished: z.boolean() },
      annotations: { readOnlyHint: true },
    },
    ({ runId, waitSeconds }, extra) =>
      guarded('get_run', ctx.log, async () => {
        const run = waitSeconds ? await follow(ctx, runId, waitSeconds, extra) : store.require(runId);
        return ok(runText(run, store), { run, finished: isTerminal(run.status) });
      }),
  );

  server.registerTool(
    'list_runs',
    {
      title: 'List runs',
      description: 'Lists recorded runs, newest first, optionally only those of a status, kind or model.',
      inputSchema: {
        status: z.enum(RUN_STATUSES as [string, ...string[]]).optional(),
        kind: z.enum(RUN_KINDS as [string, ...string[]]).optional(),
        model: z.string().optional().describe('Full model id.'),
        limit: z.number().int().min(1).max(200).optional().describe('Default 20.'),
        offset: z.number().int().min(0).optional(),
      },
      outputSchema: { runs: z.array(runRecord), total: z.number() },
      annotations: { readOnlyHint: true },
    },
    ({ status, kind, model, limit, offset }) =>
      guarded('list_runs', ctx.log, () => {
        const { runs, total } = store.list({ ...(status ? { status: status as never } : {}), ...(kind ? { kind: kind as never } : {}), ...(model ? { model } : {}), limit: limit ?? 20, offset: offset ?? 0 });
        const text = runs.length === 0 ? 'No runs match.' : `${total} runs match; showing ${runs.length}:\n${runs.map(runHeadline).join('\n')}`;
        return ok(text, { runs, total });
      }),
  );

  server.registerTool(
    'cancel_run',
    {
      title: 'Cancel a run',
      description: 'Cancels a queued or running job (a scenario sweep with all its runs). What was recorded until then is kept.',
      inputSchema: { runId: z.string().min(1).describe('The run id (run-...).') },
      outputSchema: { run: runRecord, outcome: z.enum(['cancelled', 'requested', 'already-finished']) },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    ({ runId }) =>
      guarded('cancel_run', ctx.log, async () => {
        const { record, outcome } = await executor.cancel(runId);
        const note = { cancelled: 'Cancelled.', requested: 'Another server process runs it; it was asked to stop at its next step.', 'already-finished': `It had already ended (${record.status}); nothing to cancel.` }[outcome];
        return ok(`${note}\n${runText(record, store)}`, { run: record, outcome });
      }),
  );
}
