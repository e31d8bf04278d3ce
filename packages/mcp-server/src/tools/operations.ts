/**
 * MCP tools derived from server-kit's operation list: one tool per operation,
 * with its name, description, input and output schemas as declared there.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { OPERATIONS, parseOperationInput, wireInput, type Operation } from '@populace/server-kit';
import type { ToolContext, ToolExtra } from '../context.js';
import { guarded, ok } from '../tool-result.js';

/** Progress notifications of a long operation are sent at most this often (ms). */
const PROGRESS_INTERVAL_MS = 100;

function registerOperation(server: McpServer, ctx: ToolContext, op: Operation): void {
  server.registerTool(
    op.name,
    { title: op.title, description: op.description, inputSchema: wireInput(op), outputSchema: op.output, annotations: { readOnlyHint: op.readOnly } },
    (args: unknown, extra: ToolExtra) =>
      guarded(op.name, ctx.log, async () => {
        const token = extra._meta?.progressToken;
        let last = 0;
        const onProgress =
          token === undefined
            ? undefined
            : (done: number, total: number, message?: string) => {
                const now = Date.now();
                if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
                last = now;
                extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, message: message ?? `${op.name}: ${done}/${total}` } }).catch(() => undefined);
              };
        const opCtx = { ...ctx.kit, signal: extra.signal, onProgress };
        const output = await op.run(parseOperationInput(op, args), opCtx);
        return ok(op.text(output as never, opCtx), output as Record<string, unknown>);
      }),
  );
}

/** Registers a tool for every operation of server-kit's OPERATIONS (the catalog, run_simulation, run_scenarios, sweep, calibrate, sensitivity). */
export function registerOperationTools(server: McpServer, ctx: ToolContext): void {
  for (const op of OPERATIONS as readonly Operation[]) registerOperation(server, ctx, op);
}
