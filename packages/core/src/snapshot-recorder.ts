/**
 * Per-agent snapshots, the reading: a recorder checks a request against the
 * built simulation, then, passed as a run's `afterStep`, copies the chosen
 * per-agent arrays to the host after the chosen steps only. The copy is an
 * asynchronous read made between steps (never inside one), so it works on
 * backends that read their device asynchronously only (webgpu under Node).
 */
import { checkSnapshotCells, isIntegerArray, planSnapshot, type SnapshotPlan, type SnapshotRequest } from './agent-snapshot.js';
import type { AttributeArray } from './population.js';
import { SIMULATION_DEFINITION, type Simulation } from './simulation.js';

/** One column of a snapshot: a state or attribute, its values per captured step. */
export interface SnapshotColumn {
  /** The name as requested (`status`, `agents/people/status`, `age`). */
  readonly name: string;
  /** True when its values are whole numbers (int32 and bool states, integer-typed attributes). */
  readonly integer: boolean;
  /** One array of `agents` values per captured step, aligned with `AgentSnapshot.steps`. */
  readonly values: readonly ArrayLike<number>[];
}

/** Per-agent values of chosen states after chosen steps. */
export interface AgentSnapshot {
  /** The model's agent type the rows are agents of. */
  readonly agentType: string;
  /** Agents of that type (the values per column and step). */
  readonly agents: number;
  /** The steps captured so far, ascending (a run stopped early has fewer than asked). */
  readonly steps: readonly number[];
  readonly columns: readonly SnapshotColumn[];
}

/** Options of a recorder. */
export interface SnapshotRecorderOptions {
  /** The most values (agents x states x steps) it may hold; more is refused before the run. Default: no limit. */
  readonly maxCells?: number;
  /** The limit's name in the message (default 'maxCells'). */
  readonly limitName?: string;
  /** The run's steps, when known: later snapshot steps are refused. */
  readonly runSteps?: number;
}

/**
 * Reads per-agent snapshots during a run. Steps count from the simulation's last reset, so a
 * snapshot at step 10 holds the state whose metrics are `metrics()[name][9]`.
 *
 * @example
 * ```ts
 * const recorder = await SnapshotRecorder.create(sim, { states: ['status', 'age'], steps: [10, 20] });
 * await sim.run({ steps: 30, afterStep: recorder.afterStep });
 * recorder.snapshot().columns[0].values[0]; // status of every agent after step 10
 * ```
 */
export class SnapshotRecorder {
  readonly plan: SnapshotPlan;
  readonly agents: number;
  readonly #sim: Simulation;
  readonly #steps: number[] = [];
  readonly #values: ArrayLike<number>[][];
  readonly #integer: boolean[];
  readonly #attributes: (AttributeArray | undefined)[];

  private constructor(sim: Simulation, plan: SnapshotPlan, agents: number, integer: boolean[], attributes: (AttributeArray | undefined)[]) {
    this.#sim = sim;
    this.plan = plan;
    this.agents = agents;
    this.#integer = integer;
    this.#attributes = attributes;
    this.#values = plan.columns.map(() => []);
  }

  /**
   * Builds the simulation (`ready()`), checks the request against its model and its population's
   * attributes and the size against `maxCells`, and returns the recorder. Nothing is read yet.
   */
  static async create(sim: Simulation, request: SnapshotRequest, options: SnapshotRecorderOptions = {}): Promise<SnapshotRecorder> {
    await sim.ready();
    const model = sim[SIMULATION_DEFINITION]();
    const tables = Object.fromEntries(Object.keys(model.state.agents).map((type) => [type, sim.agentTable(type)]));
    const attributeNames = Object.fromEntries(Object.entries(tables).map(([type, t]) => [type, Object.keys(t.attributes ?? {})]));
    const plan = planSnapshot(model, sim.model, attributeNames, request, options.runSteps);
    const table = tables[plan.agentType]!;
    if (options.maxCells !== undefined) checkSnapshotCells(table.count, plan, options.maxCells, options.limitName ?? 'maxCells');
    const attributes = plan.columns.map((c) => (c.source.kind === 'attribute' ? table.attributes![c.source.attribute] : undefined));
    const integer = plan.columns.map((c, k) => (c.source.kind === 'state' ? c.source.dtype !== 'float32' : isIntegerArray(attributes[k]!)));
    return new SnapshotRecorder(sim, plan, table.count, integer, attributes);
  }

  /** The run option that reads the snapshot after a chosen step (pass it as `afterStep`). */
  readonly afterStep = async (step: number): Promise<void> => {
    if (!this.plan.steps.includes(step) || this.#steps.includes(step)) return;
    const values: ArrayLike<number>[] = [];
    for (const [k, column] of this.plan.columns.entries()) {
      if (column.source.kind === 'attribute') {
        values.push(this.#attributes[k]!);
        continue;
      }
      const t = this.#sim.state(column.source.path);
      try {
        values.push((await t.data()) as ArrayLike<number>);
      } finally {
        t.dispose();
      }
    }
    this.#steps.push(step);
    values.forEach((v, k) => this.#values[k]!.push(v));
  };

  /** The snapshot captured so far. */
  snapshot(): AgentSnapshot {
    return {
      agentType: this.plan.agentType,
      agents: this.agents,
      steps: [...this.#steps],
      columns: this.plan.columns.map((c, k) => ({ name: c.name, integer: this.#integer[k]!, values: [...this.#values[k]!] })),
    };
  }
}
