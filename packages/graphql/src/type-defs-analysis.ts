/**
 * The analysis part of the schema, from @populace/analyzer: population
 * statistics and document search (queries), counterfactuals and questions
 * answered by the analyzer's agent (mutations). Results are typed; only the
 * arguments and results of the agent's tool calls (each tool has its own
 * shape) are JSON.
 */

/** SDL of the analysis fields and their types. */
export const ANALYSIS_TYPE_DEFS = `
extend type Query {
  """
  Grouped statistics of a population's agent attributes, on the population built with 'agents' and
  'seed' (nothing is simulated or recorded): counts and shares per group, per attribute the asked
  statistics, and a ranking when exactly one statistic is asked ('which age group has the lowest
  median income?'). The input is checked by the analyzer: an unknown attribute gets INVALID_ARGUMENT
  with a 'did you mean'; an unknown population UNKNOWN_ID; too many agents LIMIT_EXCEEDED.
  """
  populationStats(input: PopulationStatsInput!): PopulationStats!
  """
  The documents closest to a query: model cards, population cards, notes of recorded runs and the
  server's documents, closest first. k: 1 to 20 (default 4).
  """
  searchDocuments(query: String!, k: Int, kinds: [DocumentKind!]): [DocumentHit!]!
}

extend type Mutation {
  """
  Runs a baseline and a changed scenario on the same seeds (one recorded sweep; common random numbers
  pair the runs) and compares them per metric: both means and the mean paired difference with a
  Student-t interval. Returns when every run has finished. 'How would deaths change if R0 had been
  4.5?' is changes: [{ name: "R", value: 4.5 }] on epi/covid.
  """
  counterfactual(input: CounterfactualInput!): Counterfactual!
  """
  Answers a question by running the simulator: the server's chat model calls the analysis functions
  (statistics, scenarios, counterfactuals, sensitivity, comparisons, search) and answers from their
  numbers; the evidence lists every call. MISSING_REQUIREMENT when the server has no chat model
  (POPULACE_LLM_PROVIDER): then use the other fields directly.
  """
  ask(question: String!): Answer!
}

"A number attribute's bin edges, ascending: [0, 18, 65, 101] makes the groups [0, 18), [18, 65), [65, 101)."
input BinsInput {
  attribute: String!
  edges: [Float!]!
}

"Statistics of one attribute within each group."
input MeasureInput {
  attribute: String!
  stats: [PopulationStat!]!
}

"""
A filter on one attribute; give exactly one of: labels (a category's labels, any matches), values (a
number's values, any matches), or min and/or max (an inclusive range of a number or ordered category).
"""
input FilterInput {
  attribute: String!
  labels: [String!]
  values: [Float!]
  min: Float
  max: Float
}

input PopulationStatsInput {
  "Population id, full ('populations/nyc') or bare ('nyc')."
  population: ID!
  "Agents to build (default: the population's default, at most 100,000)."
  agents: Int
  "Seed of the build (default 0)."
  seed: Float
  "Agent type (default: the population's first)."
  agentType: String
  "Attributes to group by (at most 3): categories by label, numbers by their bins."
  groupBy: [String!]
  bins: [BinsInput!]
  measures: [MeasureInput!]
  "Filters; all must hold."
  where: [FilterInput!]
  "Categories to treat as ordered besides those whose labels are numeric ranges."
  ordered: [String!]
  "Order of the ranking (default ASCENDING: lowest first)."
  order: RankOrder
}

type PopulationStats {
  population: ID!
  agentType: String!
  "Agents built."
  agents: Int!
  seed: Float!
  "Agents that pass the filters and fall in a group."
  total: Int!
  "Agents left out by a number's bins."
  outsideBins: Int!
  groupBy: [String!]!
  "The filters as applied."
  where: [AppliedFilter!]!
  "One row per non-empty group, in label (bin) order."
  rows: [PopulationStatsRow!]!
  "The groups ranked by the one statistic asked; null unless groupBy and exactly one statistic."
  ranking: PopulationRanking
  "What each attribute the input names is."
  attributes: [AttributeSummary!]!
  notes: [String!]!
}

type AppliedFilter {
  attribute: String!
  labels: [String!]
  values: [Float!]
  min: Float
  max: Float
}

"A group's label for one groupBy attribute."
type GroupLabel {
  attribute: String!
  label: String!
}

type PopulationStatsRow {
  group: [GroupLabel!]!
  count: Int!
  "count / total."
  share: Float
  statistics: [GroupStatistic!]!
}

"""
One statistic of one attribute in a group: 'value' for a number, 'label' for a category's median,
min, max or mode, 'byLabel' for a category's count and share.
"""
type GroupStatistic {
  attribute: String!
  stat: PopulationStat!
  value: Float
  label: String
  byLabel: [LabelValue!]
  "For the median of an ordered category: the index of its band plus the share of that band below the middle."
  medianPosition: Float
}

type LabelValue {
  label: String!
  value: Float
}

type PopulationRanking {
  attribute: String!
  stat: PopulationStat!
  order: RankOrder!
  "What 'value' is."
  by: String!
  entries: [RankedGroup!]!
  lowest: RankedGroup!
  highest: RankedGroup!
  "Whether several groups share the first rank."
  tiedAtTop: Boolean!
}

type RankedGroup {
  "1 for the first; equal values share a rank."
  rank: Int!
  group: [GroupLabel!]!
  value: Float
  "The statistic's label for a category (e.g. the median income band)."
  label: String
  count: Int!
}

type AttributeSummary {
  name: String!
  "category, number or id"
  kind: String!
  ordered: Boolean!
  description: String!
  unit: String
  labels: [String!]!
}

type DocumentHit {
  "model:<id>, population:<id>, run:<id> or document:<id>."
  id: ID!
  kind: DocumentKind!
  title: String!
  "Cosine similarity to the query; higher is closer."
  score: Float
  text: String!
  "Whether the text was cut."
  truncated: Boolean!
}

input CounterfactualInput {
  "Model id, full ('epi/covid') or bare ('covid')."
  model: ID!
  population: ID
  agents: Int
  "Steps of each run (default 30)."
  steps: Int
  label: String
  "Overrides of the baseline (default: the model's defaults)."
  baseline: [ParamInput!]
  "What differs in the counterfactual, over the baseline (at least one)."
  changes: [ParamInput!]!
  "Seeds both scenarios run on, paired (1 to 16). Default: seedCount seeds from seed."
  seeds: [Float!]
  "Seeds when seeds is not given (default 3)."
  seedCount: Int
  "First seed when seeds is not given (default 0)."
  seed: Float
  "Metrics to compare (default all)."
  metrics: [String!]
  "Summaries of each series to compare (default TOTAL, PEAK, FINAL)."
  summaries: [CounterfactualSummary!]
  "Confidence level of the interval, in (0, 1) (default 0.95)."
  confidence: Float
}

type Counterfactual {
  "The sweep holding both scenarios' runs."
  sweepId: ID!
  sweep: Run!
  model: ID!
  population: ID
  agents: Int!
  steps: Int!
  seeds: [Float!]!
  "Run ids per scenario, aligned with seeds."
  baselineRunIds: [ID!]!
  counterfactualRunIds: [ID!]!
  baselineParams: [Param!]!
  counterfactualParams: [Param!]!
  "Each changed parameter in the baseline and in the counterfactual."
  changed: [ParamChange!]!
  confidence: Float!
  "How the interval is computed."
  method: String!
  rows: [CounterfactualRow!]!
  notes: [String!]!
}

type ParamChange {
  name: String!
  baseline: Param!
  counterfactual: Param!
}

type CounterfactualRow {
  metric: String!
  summary: CounterfactualSummary!
  "Mean over the seeds."
  baselineMean: Float
  counterfactualMean: Float
  "Mean over the seeds of (counterfactual - baseline), seed by seed."
  differenceMean: Float
  "Student-t interval of the mean difference (null with one seed)."
  differenceLow: Float
  differenceHigh: Float
  differenceSd: Float
  "differenceMean / baselineMean (null when the baseline mean is 0)."
  relativeDifference: Float
  "Seeds (pairs)."
  n: Int!
  "Per seed, in seeds order."
  baselineValues: [Float]!
  counterfactualValues: [Float]!
}

type Answer {
  "The chat model's answer, or a note that it stopped at its iteration limit."
  answer: String!
  stopReason: AnswerStop!
  "Chat model calls made."
  iterations: Int!
  usage: LlmUsage!
  "Every tool call, in order."
  evidence: [Evidence!]!
}

type LlmUsage {
  llmCalls: Int!
  "Tokens where the provider reports them (else 0)."
  inputTokens: Int!
  outputTokens: Int!
  totalTokens: Int!
}

type Evidence {
  "The analysis tool (population_stats, counterfactual, run_scenario...)."
  tool: String!
  "The arguments the model gave (each tool has its own)."
  args: JSON
  ok: Boolean!
  "The tool's result when ok (each tool has its own shape)."
  result: JSON
  "Why it failed: a Populace error code and the message the model saw."
  error: ToolError
  ms: Float!
  "The model call (from 1) that asked for it."
  iteration: Int!
  toolCallId: String!
}

type ToolError {
  code: String!
  message: String!
}
`;
