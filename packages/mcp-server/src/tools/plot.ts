/**
 * The plot tool: a PNG chart of chosen metrics for one or more runs.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MAX_PLOT_RUNS, plotRuns } from '@populace/server-kit';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { guarded, ok } from '../tool-result.js';

/** Registers plot. */
export function registerPlotTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'plot',
    {
      title: 'Plot runs',
      description: 'Draws chosen metrics of one or more runs as a PNG line chart: one line per run, one panel per metric, steps on x. Use it to show an epidemic curve or compare scenarios.',
      inputSchema: {
        runIds: z.array(z.string().min(1)).min(1).max(MAX_PLOT_RUNS).describe('Runs to draw (their labels, else ids, name the lines).'),
        metrics: z.array(z.string()).min(1).optional().describe('Metrics (default: those every run has).'),
        title: z.string().max(200).optional(),
        logScale: z.boolean().optional().describe('Logarithmic y axis.'),
        width: z.number().int().min(200).max(2000).optional().describe('Chart width in pixels (default 640).'),
        height: z.number().int().min(100).max(1000).optional().describe('Height of each panel (default 220).'),
      },
      outputSchema: { runIds: z.array(z.string()), mimeType: z.string(), width: z.number(), height: z.number(), bytes: z.number(), warnings: z.array(z.string()) },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      guarded('plot', ctx.log, async () => {
        const image = await plotRuns(ctx.kit.store, args.runIds, { metrics: args.metrics, title: args.title, logScale: args.logScale, width: args.width, height: args.height, format: 'png' });
        const data = image.data as Uint8Array;
        const text = `PNG chart of ${args.runIds.length} run(s), ${image.width}x${image.height} pixels.${image.warnings.length ? ` Note: ${image.warnings.join(' ')}` : ''}`;
        return ok(text, { runIds: args.runIds, mimeType: image.mimeType, width: image.width, height: image.height, bytes: data.byteLength, warnings: [...image.warnings] }, [{ type: 'image', data: Buffer.from(data).toString('base64'), mimeType: 'image/png' }]);
      }),
  );
}
