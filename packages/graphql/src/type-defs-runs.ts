/**
 * The run part of the schema: runs, their metrics and results, the inputs
 * of the mutations and the progress events of the subscription.
 */

/** SDL of runs, results, mutation inputs and progress events. */
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

type Run {
  id: ID!
  kind: RunKind!
  "The caller's label, or the scenario name for the runs of a sweep."
  label: String
  "The sweep this run belongs to."
  parentId: ID
  parent: Run
  "Full model id."
  model: ID!
  "Full population id, or the manifest path as the request gave it (its digest is in options.populationFile)."
  population: ID
  agents: Int!
  "Steps simulated (per run, for a sweep)."
  steps: Int!
  seed: Float!
  "Every parameter (defaults plus overrides; the starting values of a calibration)."
  params: [Param!]!
  "Tensor backend, once started."
  backend: String
  "The populace-worker process (host:pid) that ran it, with --redis; null for a job run in process."
  worker: String
  status: RunStatus!
  progress: Progress!
  metricNames: [String!]!
  "Steps whose metrics are stored."
  stepsRecorded: Int!
  """
  Metric series: chosen names (default all), steps from..to (from 1, inclusive), and at most
  maxPoints points (at least 2) by 'method'.
  """
  metrics(names: [String!], from: Int, to: Int, maxPoints: Int, method: DownsampleMethod = SAMPLE): MetricsSlice!
  "The kind-specific input (calibrate: observed, loss, epochs...; sensitivity: output...)."
  options: JSON!
  "The result of a calibration."
  calibration: CalibrationResult
  "The result of a sensitivity analysis."
  sensitivity: SensitivityResult
  "The result of a sweep."
  scenarios: ScenariosResult
  "The per-agent snapshot a run was asked for (its input's snapshot), once the run is done; null otherwise."
  snapshot: AgentSnapshot
  """
  Where to download its results as files, relative to the server's root (the routes of
  populace-graphql / startGraphqlServer, behind the same token as /graphql).
  """
  files: RunFiles!
  """
  Why it did not finish: a Populace error code, 'interrupted' (the server stopped during it),
  'cancelled', 'limit-exceeded' (over the wall time) or 'internal'.
  """
  error: RunError
  "ISO 8601."
  createdAt: String!
  startedAt: String
  finishedAt: String
  wallMs: Float
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
