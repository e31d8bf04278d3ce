/**
 * Resolvers of the mutations: each turns its typed input into a server-kit
 * job request, submits it (every check happens there, before any work) and
 * returns the record, optionally after waiting up to `waitMs` for the end.
 */
import { PopulaceError, type Aggregate } from '@populace/core';
import type { CalibrateLoss, Executor, JobRequest, RunRecord, RunStore, SimulationRequest, SubmitOptions } from '@populace/server-kit';
import { given, paramRecord, type ParamIn } from './values.js';

/** The longest `waitMs` a mutation accepts (10 minutes). */
export const MAX_WAIT_MS = 600_000;

interface SimulationInput {
  readonly model: string;
  readonly population?: string | null;
  readonly agents?: number | null;
  readonly seed?: number | null;
  readonly params?: readonly ParamIn[] | null;
  readonly label?: string | null;
}

/** A behaviour slot filled by an archetype. */
interface BehaviorIn {
  readonly slot: string;
  readonly archetype: string;
}

interface StartRunInput extends SimulationInput {
  readonly steps?: number | null;
  readonly behaviors?: readonly BehaviorIn[] | null;
  /** JSON: checked by the executor (server-kit's checkSchedule). */
  readonly schedules?: unknown;
}

interface CalibrateInput extends SimulationInput {
  readonly observed: readonly { readonly metric: string; readonly values: readonly (number | null)[] }[];
  readonly fit?: readonly string[] | null;
  readonly loss: CalibrateLoss;
  readonly epochs?: number | null;
  readonly learningRate?: number | null;
}

interface SensitivityInput extends SimulationInput {
  readonly steps?: number | null;
  readonly output: { readonly metric: string; readonly aggregate: Aggregate };
  readonly wrt?: readonly string[] | null;
}

interface ScenariosInput extends SimulationInput {
  readonly steps?: number | null;
  readonly behaviors?: readonly BehaviorIn[] | null;
  readonly scenarios: readonly { readonly name?: string | null; readonly params?: readonly ParamIn[] | null }[];
  readonly seeds?: readonly number[] | null;
}

function simulation(input: SimulationInput): SimulationRequest {
  return { model: input.model, population: given(input.population), agents: given(input.agents), seed: given(input.seed), params: paramRecord(input.params), label: given(input.label) };
}

/** `behaviors` as slot -> archetype id; each slot at most once. */
function behaviorRecord(list: readonly BehaviorIn[] | null | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  const out: Record<string, string> = {};
  list.forEach((b, i) => {
    if (Object.hasOwn(out, b.slot)) throw new PopulaceError('invalid-argument', `behaviors[${i}]: slot '${b.slot}' is given twice. Fill each slot once.`, { details: { field: `behaviors[${i}]` } });
    out[b.slot] = b.archetype;
  });
  return out;
}

/** `observed` as a record by metric; each metric at most once. */
function observedRecord(list: CalibrateInput['observed']): Record<string, readonly (number | null)[]> {
  if (list.length === 0) throw new PopulaceError('invalid-argument', 'calibrate: observed expected at least one series { metric, values }, received an empty list.', { details: { field: 'observed' } });
  const out: Record<string, readonly (number | null)[]> = {};
  list.forEach((s, i) => {
    if (Object.hasOwn(out, s.metric)) throw new PopulaceError('invalid-argument', `calibrate: observed[${i}]: metric '${s.metric}' is given twice. Give each metric's series once.`, { details: { field: `observed[${i}]` } });
    out[s.metric] = s.values;
  });
  return out;
}

/** The resolvers' context: the fetch request and, over node:http, the peer's socket. */
type Ctx = { request?: Request; req?: { socket?: { remoteAddress?: string | undefined } } };

/** Mutation resolvers. */
export function mutationResolvers(kit: { readonly store: RunStore; readonly executor: Executor }) {
  const { executor } = kit;
  // the client of the per-client cap (maxClientRunning): the peer's address when served over HTTP
  const client = (ctx: Ctx): SubmitOptions | undefined => (ctx.req?.socket?.remoteAddress ? { client: `graphql:${ctx.req.socket.remoteAddress}` } : undefined);
  const submit = async (request: JobRequest, waitMs: number, ctx: Ctx): Promise<RunRecord> => {
    const signal = ctx.request?.signal;
    if (!Number.isSafeInteger(waitMs) || waitMs < 0 || waitMs > MAX_WAIT_MS) {
      throw new PopulaceError('invalid-argument', `waitMs expected an integer in [0, ${MAX_WAIT_MS}] (milliseconds), received ${waitMs}. Follow longer jobs with the runProgress subscription or by polling run(id).`, { details: { field: 'waitMs' } });
    }
    const record = executor.submit(request, client(ctx));
    return waitMs === 0 ? record : executor.wait(record.id, { timeoutMs: waitMs, ...(signal ? { signal } : {}) });
  };
  return {
    Mutation: {
      startRun: (_: unknown, { input, waitMs }: { input: StartRunInput; waitMs: number }, ctx: Ctx) =>
        submit({ kind: 'run', ...simulation(input), behaviors: behaviorRecord(input.behaviors), steps: given(input.steps), schedules: (input.schedules ?? undefined) as Record<string, unknown> | undefined }, waitMs, ctx),
      calibrate: (_: unknown, { input, waitMs }: { input: CalibrateInput; waitMs: number }, ctx: Ctx) =>
        submit(
          { kind: 'calibrate', ...simulation(input), observed: observedRecord(input.observed), fit: given(input.fit), loss: input.loss, epochs: given(input.epochs), learningRate: given(input.learningRate) },
          waitMs,
          ctx,
        ),
      sensitivity: (_: unknown, { input, waitMs }: { input: SensitivityInput; waitMs: number }, ctx: Ctx) =>
        submit({ kind: 'sensitivity', ...simulation(input), steps: given(input.steps), output: `${input.output.metric}:${input.output.aggregate}`, wrt: given(input.wrt) }, waitMs, ctx),
      runScenarios: (_: unknown, { input, waitMs }: { input: ScenariosInput; waitMs: number }, ctx: Ctx) =>
        submit(
          {
            kind: 'scenarios',
            ...simulation(input),
            behaviors: behaviorRecord(input.behaviors),
            steps: given(input.steps),
            scenarios: input.scenarios.map((s, i) => ({ name: given(s.name), params: paramRecord(s.params, `scenarios[${i}].params`) ?? {} })),
            seeds: given(input.seeds),
          },
          waitMs,
          ctx,
        ),
      cancelRun: async (_: unknown, { id }: { id: string }) => {
        const { record, outcome } = await executor.cancel(id);
        return { run: record, outcome };
      },
    },
  };
}
