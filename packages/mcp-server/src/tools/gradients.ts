/**
 * Tools that differentiate through the simulator: calibrate (fit learnable
 * parameters to an observed series) and sensitivity (d output / d parameter
 * for every learnable parameter from one reverse pass).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CALIBRATE_LOSSES, isTerminal, type CalibrateOutcome, type SensitivityOutcome } from '@populace/server-kit';
import { z } from 'zod';
import { follow, type ToolContext } from '../context.js';
import { runText } from '../run-text.js';
import { paramValue, runRecord, simulationInput, stepsInput, waitInput } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';

/** Seconds calibrate and sensitivity wait by default. */
export const GRADIENT_WAIT_SECONDS = 120;

const fmt = (v: number | readonly number[]): string => (typeof v === 'number' ? v.toPrecision(4) : `[${v.map((x) => x.toPrecision(3)).join(', ')}]`);

/** Registers calibrate and sensitivity. */
export function registerGradientTools(server: McpServer, ctx: ToolContext): void {
  const { store, executor } = ctx.kit;

  server.registerTool(
    'calibrate',
    {
      title: 'Calibrate to observed data',
      description:
        "Fits learnable parameters (default: all) so the simulated metrics match an observed series given inline, by gradient descent through the simulator. observed maps a metric to one value per step from step 1 (null where unobserved), e.g. { newInfections: [3, 5, null, 12] }; params are the starting values. Returns the fitted values, the loss per epoch, and the fitted trajectory as the run's metrics.",
      inputSchema: {
        ...simulationInput,
        observed: z.record(z.string(), z.array(z.number().nullable())).describe('Observed series by metric, one value per step from step 1; null where unobserved.'),
        fit: z.array(z.string()).min(1).optional().describe('Learnable parameters to fit (default: every learnable one).'),
        loss: z.enum(CALIBRATE_LOSSES).optional().describe("'mse' (default), or 'poisson' / 'negative-binomial' for counts."),
        epochs: z.number().int().min(1).optional().describe('Gradient steps (default 100; it stops earlier when the loss stops improving).'),
        learningRate: z.number().positive().optional(),
        waitSeconds: waitInput(GRADIENT_WAIT_SECONDS),
      },
      outputSchema: {
        run: runRecord,
        finished: z.boolean(),
        result: z.object({ params: z.record(z.string(), paramValue), start: z.record(z.string(), paramValue), loss: z.number(), history: z.array(z.number()), epochs: z.number(), stopped: z.string() }).nullable(),
      },
    },
    (args, extra) =>
      guarded('calibrate', ctx.log, async () => {
        const { waitSeconds, ...request } = args;
        const started = executor.submit({ kind: 'calibrate', ...request });
        const run = await follow(ctx, started.id, waitSeconds ?? GRADIENT_WAIT_SECONDS, extra);
        const result = run.result as CalibrateOutcome | null;
        const text = result
          ? `Fitted (${result.stopped} after ${result.epochs} epochs): ${Object.entries(result.params).map(([k, v]) => `${k} ${fmt(result.start[k]!)} -> ${fmt(v)}`).join(', ')}; loss ${result.history[0]!.toPrecision(5)} -> ${result.loss.toPrecision(5)}.\n`
          : '';
        return ok(`${text}${runText(run, store)}`, { run, finished: isTerminal(run.status), result });
      }),
  );

  server.registerTool(
    'sensitivity',
    {
      title: 'Parameter sensitivity',
      description:
        "Which parameter matters most: the derivative of one output (a metric reduced over the steps: 'metric:sum', ':mean', ':max', ':min' or ':last', e.g. 'newInfections:sum') with respect to every learnable parameter, from one reverse pass through the simulation, with elasticities (% change of the output per 1% change of the parameter), ranked.",
      inputSchema: {
        ...simulationInput,
        steps: stepsInput,
        output: z.string().min(1).describe("'metric' or 'metric:agg' with agg one of sum (default), mean, max, min, last."),
        wrt: z.array(z.string()).min(1).optional().describe('Learnable parameters to differentiate (default: all).'),
        waitSeconds: waitInput(GRADIENT_WAIT_SECONDS),
      },
      outputSchema: {
        run: runRecord,
        finished: z.boolean(),
        result: z
          .object({
            output: z.object({ metric: z.string(), agg: z.string(), value: z.number() }),
            entries: z.array(z.object({ param: z.string(), index: z.number().optional(), value: z.number(), gradient: z.number(), elasticity: z.number().nullable(), standardError: z.number().optional().describe('Monte Carlo standard error of the gradient (stochastic-derivative estimator, the default on contact networks).') })),
          })
          .nullable(),
      },
    },
    (args, extra) =>
      guarded('sensitivity', ctx.log, async () => {
        const { waitSeconds, ...request } = args;
        const started = executor.submit({ kind: 'sensitivity', ...request });
        const run = await follow(ctx, started.id, waitSeconds ?? GRADIENT_WAIT_SECONDS, extra);
        const result = run.result as SensitivityOutcome | null;
        const text = result
          ? `${result.output.metric}:${result.output.agg} = ${result.output.value}. Ranked by |elasticity|:\n${result.entries.map((e, i) => `  ${i + 1}. ${e.param}${e.index === undefined ? '' : `[${e.index}]`} = ${e.value}: d/dparam ${e.gradient.toPrecision(4)}, elasticity ${e.elasticity === null ? '-' : e.elasticity.toPrecision(3)}`).join('\n')}\n`
          : '';
        return ok(`${text}${runText(run, store)}`, { run, finished: isTerminal(run.status), result });
      }),
  );
}
