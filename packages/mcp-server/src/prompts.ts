/**
 * Prompts: "investigate an outbreak" and "compare interventions", each a
 * plan the assistant follows with the tools.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });

/** Registers investigate_outbreak and compare_interventions. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'investigate_outbreak',
    {
      title: 'Investigate an outbreak',
      description: 'Plan a study of an outbreak: pick a model, simulate, fit it to case data, and find which parameter matters most.',
      argsSchema: {
        model: z.string().optional().describe('Model id to use (default: choose one with list_models).'),
        population: z.string().optional().describe('Population id (default: choose one with list_populations).'),
        cases: z.string().optional().describe('Observed counts per day, comma-separated (e.g. new infections).'),
      },
    },
    ({ model, population, cases }) =>
      user(
        [
          'Investigate an outbreak with the Populace tools.',
          `1. ${model ? `Call describe_model for '${model}'` : 'Call list_models and pick an epidemic model; call describe_model on it'} to learn its parameters (bounds, meaning) and metrics.`,
          `2. ${population ? `Use population '${population}'` : 'Call list_populations and pick a population that provides the networks the model needs'}; start with a few thousand agents so runs are quick. population_stats describes who the agents are (e.g. age bands, employment) when that matters.`,
          '3. run_simulation with the defaults, then get_metrics and plot to see the epidemic curve (peak, timing, final size).',
          cases
            ? `4. Calibrate to the observed series: calibrate with observed { <the matching metric, e.g. newInfections>: [${cases}] } (one value per day from day 1), loss 'poisson' for counts. Report the fitted parameters and how well the fit matches (plot the calibrate run).`
            : '4. If case data are available, calibrate to them (observed: { metric: [one value per day] }).',
          "5. sensitivity with output '<incidence metric>:sum' (and ':max' for the peak) to find which parameter matters most; explain the elasticities.",
          '6. Summarise: what drives this outbreak, how uncertain the fit is (try another seed), and what you would do next.',
        ].join('\n'),
      ),
  );

  server.registerPrompt(
    'compare_interventions',
    {
      title: 'Compare interventions',
      description: 'Compare interventions (parameter changes) against a baseline on the same seeds, in one table and one chart.',
      argsSchema: {
        model: z.string().optional().describe('Model id (default: choose one with list_models).'),
        interventions: z.string().optional().describe("The interventions in words or as parameter changes, e.g. 'distancing: beta=0.03; faster recovery: gamma=0.2'."),
      },
    },
    ({ model, interventions }) =>
      user(
        [
          'Compare interventions with the Populace tools.',
          `1. ${model ? `describe_model '${model}'` : 'list_models, pick a model, describe_model it'}: find the parameters an intervention changes (within their bounds).`,
          `2. Express each intervention as parameter values${interventions ? ` (${interventions})` : ''}; keep a 'baseline' scenario with no change first.`,
          '3. run_scenarios with those scenarios and two or three seeds, so differences are not noise; for one change against the baseline, counterfactual gives the paired difference per metric with a 95% interval over the seeds.',
          '4. Read the table: peak, peak step (timing) and total per metric, and the % difference to the baseline (or the counterfactual interval: an interval that contains 0 is not a clear effect).',
          '5. plot the runs of the most telling seed (their ids are in the run_scenarios result) for the incidence and prevalence metrics.',
          '6. Summarise which intervention helps most, by how much, and with what caveats.',
        ].join('\n'),
      ),
  );
}
