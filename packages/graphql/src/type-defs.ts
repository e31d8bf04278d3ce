/**
 * The GraphQL schema of @populace/graphql, as SDL. Parameter values and
 * metric series are typed lists (`[Param!]`, `[Series!]`) rather than JSON
 * blobs; only a run's kind-specific `options` and the arguments and results
 * of the analyzer's tool calls (`Evidence`) are free-form JSON.
 */
import { enumTypeDefs } from './enums.js';
import { operationTypeDefs } from './operation-schema.js';
import { ANALYSIS_TYPE_DEFS } from './type-defs-analysis.js';
import { runTypeDefs } from './run-type.js';
import { RUN_TYPE_DEFS } from './type-defs-runs.js';

const SCHEMA = `
"""Any JSON value."""
scalar JSON

type Query {
  "Every model the server's plugins contribute, in registration order."
  models: [Model!]!
  "One model by full or bare id (UNKNOWN_ID lists the known ones)."
  model(id: ID!): Model
  "Every population, in registration order."
  populations: [Population!]!
  "One population by full or bare id."
  population(id: ID!): Population
  "Every ODE component the server's plugins contribute (building blocks of models), in registration order."
  odeComponents: [OdeComponent!]!
  "Recorded runs, newest first: 'first' (1 to 100) from 'offset'."
  runs(filter: RunFilter, first: Int = 20, offset: Int = 0): RunPage!
  "One run by id (UNKNOWN_ID suggests the closest id)."
  run(id: ID!): Run
  "Runs compared metric by metric (final, peak, peak step, total); the first run is the baseline."
  compareRuns(ids: [ID!]!, metrics: [String!]): Comparison!
  "This server's load and per-call limits."
  server: ServerInfo!
}

type Mutation {
  "Cancels a queued or running run (a sweep with all its runs); what was recorded is kept."
  cancelRun(id: ID!): CancelResult!
}

type Subscription {
  """
  Progress of a run until it ends: first the run as it is now (QUEUED, or PROGRESS with the
  metrics so far), then one event per step (run, sensitivity), per epoch (calibrate) or per
  finished run (sweep), then a FINISHED event with the final record. A run that has already
  ended gives its FINISHED event at once.
  """
  runProgress(id: ID!): RunProgressEvent!
}

type ServerInfo {
  "Runs executing at once, at most."
  concurrency: Int!
  running: Int!
  queued: Int!
  "Bytes the running jobs may hold together by their memory estimates; null for no budget."
  memoryBudget: Float
  "Bytes the running jobs' estimates reserve now."
  memoryInUse: Float!
  "Queued jobs a free slot would start now but the memory budget holds back."
  memoryWait: Int!
  limits: Limits!
}

"Per-call limits; null where there is none."
type Limits {
  maxAgents: Float
  maxSteps: Float
  maxWallMs: Float
  maxQueued: Float
  maxEpochs: Float
  maxGradientAgentSteps: Float
  "agents x model steps of one sensitivity by the stochastic derivative (primal, replays and alternatives: about replicates x steps^2)."
  maxStochasticAgentSteps: Float
  maxScenarioRuns: Float
  "runs x agents x steps of one sweep (runScenarios, sweep)."
  maxSweepAgentSteps: Float
  maxClientRunning: Float
  "agents x states x steps of one run's per-agent snapshot (stored with the run, returned inline)."
  maxSnapshotCells: Float
  "rows x columns of a run's file served at /runs/{id}/... (metrics.csv, metrics.parquet, snapshot.parquet)."
  maxFileCells: Float
  maxQueryDepth: Float
  maxQueryCost: Float
}

type Model {
  id: ID!
  plugin: String!
  description: String!
  "Agents when a run names no population and no count."
  defaultAgents: Int!
  parameters: [Parameter!]!
  metrics: [Metric!]!
  agentTypes: [AgentType!]!
  environment: [StateProperty!]!
  networks: [Network!]!
  substeps: [Substep!]!
  "Slots a behaviour (an LLM archetype, say) can fill in a simulation; empty slots keep the model's default."
  behaviors: [BehaviorSlot!]!
  "What it needs from a population: agent types, attributes and contact networks (optional ones with what it does without them)."
  needs: [PopulationNeed!]!
  "Ids of the populations it can run on (they provide every required part)."
  populations: [ID!]!
}

type PopulationNeed {
  "agents, attribute or network"
  kind: String!
  name: String!
  "The population agent type it belongs to."
  agentType: String!
  required: Boolean!
  "What it is, or for an optional part what the model does without it."
  note: String
}

type BehaviorSlot {
  name: String!
  agentType: String!
  description: String!
  "[min, max] every value must lie in; null where unbounded."
  range: [Float!]
  "The context the model asks the behaviour with."
  context: [ContextKey!]!
}

type ContextKey {
  name: String!
  description: String!
}

"""An ODE component (definePlugin({ odeComponents })): a batched ODE that models advance inside their steps."""
type OdeComponent {
  id: ID!
  plugin: String!
  description: String!
  "State variable names."
  state: [String!]!
  parameters: [Parameter!]!
  inputs: [String!]!
  "Named functions of the state that models read (e.g. infectiousness)."
  outputs: [String!]!
}

type Parameter {
  name: String!
  description: String
  unit: String
  "The default of a scalar parameter (null for a time-varying one)."
  default: Float
  "Every entry of the default (one for a scalar, one per period for a time-varying parameter)."
  defaultValues: [Float!]!
  "Lower bound; null where unbounded."
  lower: Float
  "Upper bound; null where unbounded."
  upper: Float
  "Whether calibrate and sensitivity can use it."
  learnable: Boolean!
  integer: Boolean!
  timeVarying: Boolean!
}

type Metric {
  name: String!
  description: String
}

type AgentType {
  name: String!
  description: String
  properties: [StateProperty!]!
}

type StateProperty {
  name: String!
  dtype: String!
  shape: [Int!]!
  description: String
}

type Network {
  name: String!
  agents: String!
  layer: String!
  optional: Boolean!
  description: String
}

type Substep {
  name: String!
  description: String
  reads: [String!]!
  writes: [String!]!
}

type Population {
  id: ID!
  plugin: String!
  description: String!
  defaultAgents: Int!
  maxAgents: Float!
  agentTypes: [String!]!
  networks: [String!]!
  "Declared attributes of each agent type (empty when the population declares none)."
  attributes: [Attribute!]!
  "Ids of the models that can run on it."
  models: [ID!]!
}

type Attribute {
  agentType: String!
  name: String!
  description: String!
  "category, number or id"
  kind: String!
  "Labels of a category's codes, when fixed."
  labels: [String!]
  unit: String
}

`;

/**
 * The schema's SDL: the types above, `type Run` (generated from the run record), the runs'
 * parts (`RUN_TYPE_DEFS`), the analysis fields (`ANALYSIS_TYPE_DEFS`) and the enums of `ENUMS`.
 *
 * @example
 * ```ts
 * import { buildSchema } from './graphql.js';
 * buildSchema(populaceTypeDefs()).getQueryType()?.name; // 'Query'
 * ```
 */
export function populaceTypeDefs(): string {
  return `${SCHEMA}\n${runTypeDefs()}\n${RUN_TYPE_DEFS}\n${ANALYSIS_TYPE_DEFS}\n${operationTypeDefs()}\n${enumTypeDefs()}\n`;
}
