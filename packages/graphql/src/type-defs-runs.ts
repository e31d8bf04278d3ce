/**
 * The run part of the schema: the types of runs' metrics and results, the
 * inputs of the mutations and the progress events of the subscription
 * (`type Run` itself is generated from the run record: run-type.ts).
 */

/** SDL of runs' parts, results, mutation inputs and progress events. */
export const RUN_TYPE_DEFS = `
"A parameter's value: 'value' for a scalar; 'values' has every entry (one for a scalar, one per period for a time-varying parameter)."
type Param {
  name: String!
  value: Float
  values: [Float!]!
}

"A parameter value: give 'value' for a scalar or 'values' for a time-varying parameter."
input ParamInput {
  name: String!
  value: Float
  values: [Float!]
}

"A run's files as URLs relative to the server's root; null where the run has no such file (yet)."
type RunFiles {
  "GET /runs/{id}/metrics.csv: step, then one column per metric (once a step is stored)."
  metricsCsv: String
  "GET /runs/{id}/metrics.parquet: the same table as Parquet (step INT32, metrics DOUBLE)."
  metricsParquet: String
  "GET /runs/{id}/snapshot.parquet: the per-agent snapshot, one row per agent per step (step, agent, then one column per state)."
  snapshotParquet: String
  "GET /runs/{id}/bands.parquet: a sweep's bands (point, the varied parameters, metric, step, median, q25, q75, q025, q975), once it has ended."
  bandsParquet: String
}

"Per-agent values of chosen states after chosen steps (at most the server's maxSnapshotCells values)."
type AgentSnapshot {
  "The model's agent type the values are of (agent i at index i)."
  agentType: String!
  agents: Int!
  "The steps captured, ascending (the state after that many steps)."
  steps: [Int!]!
  "One per requested name, in the order asked."
  columns: [SnapshotColumn!]!
}

type SnapshotColumn {
  "The state or attribute name as requested."
  name: String!
  "True when the values are whole numbers (integer and boolean states, integer attributes)."
  integer: Boolean!
  "One list per step of 'steps', one value per agent (null where not finite)."
  values: [[Float]!]!
}

type Progress {
  done: Int!
  total: Int!
  unit: ProgressUnit!
  "done / total (0 when total is 0)."
  fraction: Float!
}

type RunError {
  code: String!
  message: String!
}

type MetricsSlice {
  runId: ID!
  status: RunStatus!
  "The step of each point."
  steps: [Int!]!
  series: [Series!]!
  "Steps stored in all (the run may still be going)."
  stepsRecorded: Int!
  "How points were dropped or averaged; null when every step of the range is returned."
  downsampled: Downsampling
}

"One metric's values, aligned with the steps (null where a value is not finite)."
type Series {
  name: String!
  values: [Float]!
}

type Downsampling {
  method: DownsampleMethod!
  maxPoints: Int!
  pointsBefore: Int!
}

type MetricValue {
  name: String!
  value: Float
}

type CalibrationResult {
  "Fitted values of the fitted parameters."
  params: [Param!]!
  "Their starting values."
  start: [Param!]!
  "The best loss reached."
  loss: Float
  "Loss per epoch."
  history: [Float]!
  epochs: Int!
  stopped: CalibrationStop!
}

type SensitivityResult {
  output: SensitivityOutput!
  "Ranked by |elasticity|, largest first."
  entries: [SensitivityEntry!]!
  "The estimator that computed the gradients: straight-through or stochastic-derivative."
  estimator: String
  "What is known of the estimator's accuracy against finite differences for this model and population."
  accuracy: GradientAccuracy
}

"How far an estimator's gradients were measured from same-seed central finite differences."
type GradientAccuracy {
  "validated (every measured parameter within the criterion), approximate (at least one is not: see note) or unmeasured."
  status: String!
  criterion: String!
  "The measured deviations in words, with the commands that measured them."
  note: String!
  "The measured rows: model, population, param, estimator, output, agents, steps, seeds, gradient, gradientSE, finiteDifference, finiteDifferenceSE, ratio, command, measured."
  deviations: [JSON!]!
  "Requested parameters without a measurement (the status speaks for the others); null in records made before it was kept."
  unmeasured: [String!]
}

type SensitivityOutput {
  metric: String!
  aggregate: Aggregate!
  value: Float
}

type SensitivityEntry {
  param: String!
  "Entry of a time-varying parameter; null for scalars."
  index: Int
  value: Float
  "d output / d parameter."
  gradient: Float
  "(d output / output) / (d parameter / parameter); null when the output is 0."
  elasticity: Float
  "Monte Carlo standard error of the gradient (stochastic derivative); null for straight-through."
  standardError: Float
}

type ScenariosResult {
  scenarios: [ScenarioOutcome!]!
  seeds: [Float!]!
  "Rows by scenario name, averaged over the seeds; the first scenario is the baseline. Null when no run finished."
  table: Comparison
}

type ScenarioOutcome {
  name: String!
  "The parameters this scenario changes."
  params: [Param!]!
  runIds: [ID!]!
  runs: [Run!]!
}

type Comparison {
  "The label every difference is taken against."
  baseline: String!
  metrics: [String!]!
  rows: [ComparisonRow!]!
}

type ComparisonRow {
  metric: String!
  "Run id, or the scenario name in a sweep."
  label: String!
  runIds: [ID!]!
  final: Float
  peak: Float
  "Step of the peak (from 1; averaged over seeds in a sweep)."
  peakStep: Float
  total: Float
  "Differences to the baseline row (null on the baseline)."
  delta: SeriesSummary
  "Relative differences to the baseline (null on the baseline; a side null where the baseline is 0)."
  relative: RelativeChange
}

type SeriesSummary {
  final: Float
  peak: Float
  peakStep: Float
  total: Float
}

type RelativeChange {
  final: Float
  peak: Float
  total: Float
}

type CancelResult {
  run: Run!
  outcome: CancelOutcome!
}

type RunPage {
  runs: [Run!]!
  "Runs matching the filter in all."
  total: Int!
  offset: Int!
  hasMore: Boolean!
}

input RunFilter {
  status: [RunStatus!]
  kind: [RunKind!]
  "Full or bare model id."
  model: ID
  "Runs of one sweep."
  parentId: ID
  "true: only runs that belong to no sweep."
  topLevel: Boolean
}

"A behaviour slot of the model (Model.behaviors) filled by an archetype."
input BehaviorInput {
  slot: String!
  "Archetype id (the plugins' archetypes), e.g. covid-isolation."
  archetype: String!
}

"One observed series: a metric and one value per step from step 1 (null where unobserved)."
input ObservedSeriesInput {
  metric: String!
  values: [Float]!
}

input SensitivityOutputInput {
  metric: String!
  aggregate: Aggregate = SUM
}

type CalibrationEpoch {
  epoch: Int!
  loss: Float
  params: [Param!]!
}

type RunProgressEvent {
  type: RunEventType!
  runId: ID!
  kind: RunKind!
  status: RunStatus!
  progress: Progress!
  "The step just completed (runs and sensitivities; on a snapshot or FINISHED event the last step stored), else null."
  step: Int
  "That step's metric values."
  latest: [MetricValue!]
  "Every metric's series so far."
  metrics: [Series!]!
  "The epoch just completed (calibrations)."
  epoch: CalibrationEpoch
  "The final record, on the FINISHED event."
  run: Run
}
`;
