/**
 * Scheduled interventions: a parameter that changes over time, piecewise
 * constant, e.g. `testsPerDay=0@0,2000@30` (0 from step 0, 2000 from step 30).
 * A schedule is applied between steps with `Simulation.setParams`, so the
 * step with index t (it produces the metrics of step t + 1) uses the value in
 * force at t: a change at step 30 leaves the metrics of steps 1..30 alone.
 */
import { PopulaceError } from './errors.js';
import type { Progress, RunOptions, RunResult, Simulation } from './simulation.js';
import { describeValue } from './validate.js';

/** One change of a schedule: `value` from step `step` (0-based, the step index) on. */
export interface ScheduleChange {
  readonly step: number;
  readonly value: number;
}

/** A parameter's schedule: changes with ascending steps, the first at step 0. */
export type ParamSchedule = readonly ScheduleChange[];

/** Schedules by parameter name. */
export type ParamSchedules = Readonly<Record<string, ParamSchedule>>;

/**
 * Checks a schedule (plain data from a CLI, MCP or GraphQL): a non-empty array of
 * `{ step, value }` with integer steps >= 0, strictly ascending, the first at 0, finite values.
 * Errors name the parameter, the entry and the fix; returns a frozen copy.
 */
export function checkSchedule(name: string, schedule: unknown): ParamSchedule {
  const where = `schedule of '${name}'`;
  if (!Array.isArray(schedule) || schedule.length === 0) {
    throw new PopulaceError('invalid-param', `${where}: expected a non-empty array of { step, value } such as [{ step: 0, value: 0.3 }, { step: 30, value: 0.1 }], received ${describeValue(schedule)}.`, { details: { param: name } });
  }
  const out: ScheduleChange[] = [];
  schedule.forEach((entry: unknown, i) => {
    const e = entry as { step?: unknown; value?: unknown } | null;
    if (e === null || typeof e !== 'object' || Object.keys(e).some((k) => k !== 'step' && k !== 'value')) {
      throw new PopulaceError('invalid-param', `${where}[${i}]: expected { step, value }, received ${describeValue(entry)}.`, { details: { param: name, index: i } });
    }
    if (typeof e.step !== 'number' || !Number.isSafeInteger(e.step) || e.step < 0) {
      throw new PopulaceError('invalid-param', `${where}[${i}].step: expected a whole number of steps >= 0, received ${describeValue(e.step)}.`, { details: { param: name, index: i } });
    }
    if (typeof e.value !== 'number' || !Number.isFinite(e.value)) {
      throw new PopulaceError('invalid-param', `${where}[${i}].value: expected a finite number, received ${describeValue(e.value)}.`, { details: { param: name, index: i } });
    }
    if (i === 0 && e.step !== 0) {
      throw new PopulaceError('invalid-param', `${where}: the first change must be at step 0 (the value the run starts with), received step ${e.step}. Start with value@0, e.g. ${name}=0@0,${e.value}@${e.step}.`, { details: { param: name } });
    }
    if (i > 0 && e.step <= out[i - 1]!.step) {
      throw new PopulaceError('invalid-param', `${where}: steps must be strictly ascending, received step ${e.step} after step ${out[i - 1]!.step}.`, { details: { param: name, index: i } });
    }
    out.push(Object.freeze({ step: e.step, value: e.value }));
  });
  return Object.freeze(out);
}

/**
 * Parses a schedule written `value@step,value@step` (the `--param name=...` form).
 *
 * @example
 * ```ts
 * parseSchedule('testsPerDay', '0@0,2000@30'); // [{ step: 0, value: 0 }, { step: 30, value: 2000 }]
 * ```
 */
export function parseSchedule(name: string, text: string): ParamSchedule {
  const entries = text.split(',').map((part) => {
    const [value, step, extra] = part.split('@').map((s) => s.trim());
    const v = value === '' || value === undefined ? Number.NaN : Number(value);
    const s = step === '' || step === undefined ? Number.NaN : Number(step);
    if (extra !== undefined || !Number.isFinite(v) || !Number.isFinite(s)) {
      throw new PopulaceError('invalid-param', `parameter '${name}': expected a schedule value@step,value@step (e.g. 0@0,2000@30), received ${JSON.stringify(text)} (the part ${JSON.stringify(part)} is not value@step).`, { details: { param: name, received: text } });
    }
    return { step: s, value: v };
  });
  return checkSchedule(name, entries);
}

/** The value in force at step index `step` (0-based). */
export function scheduleValueAt(schedule: ParamSchedule, step: number): number {
  let value = schedule[0]!.value;
  for (const change of schedule) if (change.step <= step) value = change.value;
  return value;
}

/**
 * Runs `options.steps` steps of `sim` with its parameters following `schedules`: the run is
 * cut at every change and `setParams` applied between the pieces. Every value is checked against
 * the model's bounds before the first step. Progress counts the steps of the whole run.
 * Forward only: the values are set between steps, not traced on a gradient tape.
 *
 * @example
 * ```ts
 * await runScheduled(sim, { testsPerDay: parseSchedule('testsPerDay', '0@0,2000@30') }, { steps: 60 });
 * ```
 */
export async function runScheduled(sim: Simulation, schedules: ParamSchedules, options: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const start = sim.currentStep;
  const end = start + options.steps;
  for (const [name, schedule] of Object.entries(schedules)) for (const change of schedule) sim.setParams({ [name]: change.value });
  const at = (step: number) => Object.fromEntries(Object.entries(schedules).map(([n, s]) => [n, scheduleValueAt(s, step)]));
  const cuts = [...new Set(Object.values(schedules).flatMap((s) => s.map((c) => c.step)))].filter((s) => s > start && s < end).sort((a, b) => a - b);
  let step = start;
  for (const cut of [...cuts, end]) {
    sim.setParams(at(step));
    const offset = step - start;
    await sim.run({
      steps: cut - step,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.afterStep ? { afterStep: options.afterStep } : {}),
      ...(options.onProgress ? { onProgress: (p: Progress) => options.onProgress!({ ...p, step: p.step + offset, steps: options.steps }) } : {}),
    });
    step = cut;
  }
  return { steps: options.steps, metrics: sim.metrics(), wallMs: performance.now() - t0 };
}
