/**
 * @populace/analyzer: population statistics, scenarios, counterfactuals,
 * sensitivity, run comparisons and document search as plain typed functions
 * (each with its zod input schema), and a LangChain tool-calling agent that
 * answers questions by running them.
 */
export { ANALYSIS_TOOL_SPECS, createAnalysisTools, OPERATION_TOOLS, operationToolSpec, R0_MAPPING } from './analysis-tools.js';
export type { AnalysisToolSpec, ToolDefaults } from './analysis-tools.js';
export { createAnalyzer, DEFAULT_ANALYZER_AGENTS } from './analyzer.js';
export type { Analyzer, AnalyzerAnswer, AnalyzerOptions, AnalyzerUsage, Evidence } from './analyzer.js';
export { labelsLookOrdered } from './attribute-columns.js';
export { describePopulation, describePopulationInput } from './catalog.js';
export { compareStoredRuns, compareStoredRunsInput } from './compare-stored-runs.js';
export type { CompareStoredRunsInput, CompareStoredRunsResult } from './compare-stored-runs.js';
export { checkContext } from './context.js';
export type { AnalysisContext } from './context.js';
export { counterfactual, counterfactualInput, DEFAULT_COUNTERFACTUAL_SEEDS, SUMMARIES } from './counterfactual.js';
export type { CounterfactualInput, CounterfactualResult, CounterfactualRow, SummaryName } from './counterfactual.js';
export { CosineVectorStore, cosineSimilarity } from './documents/cosine-vector-store.js';
export { createDocumentIndex, DocumentIndex } from './documents/document-index.js';
export type { DocumentHit, DocumentIndexOptions, UserDocument } from './documents/document-index.js';
export type { DocumentKind, DocumentMeta } from './documents/cards.js';
export { HashingEmbeddings } from './documents/hashing-embeddings.js';
export type { HashingEmbeddingsOptions } from './documents/hashing-embeddings.js';
export { STATS } from './group-stats.js';
export type { Stat, StatValue } from './group-stats.js';
export { parseInput } from './input.js';
export { DEFAULT_STATS_AGENTS, MAX_GROUPS, populationStats, populationStatsInput } from './population-stats.js';
export type { AttributeSummary, PopulationStatsInput, PopulationStatsResult, PopulationStatsRow } from './population-stats.js';
export type { PopulationRanking, RankedGroup } from './population-ranking.js';
export type { AppliedFilter } from './population-filter.js';
export type { MetricSummary, RunFacts } from './run-outcome.js';
export { runScenario, runScenarioInput } from './run-scenario.js';
export type { RunScenarioInput, RunScenarioResult } from './run-scenario.js';
export { DOCUMENT_KINDS, documentIndexFor, searchDocuments, searchDocumentsInput } from './search-documents.js';
export type { SearchDocumentsInput, SearchDocumentsResult, SearchHit } from './search-documents.js';
export { sensitivityAnalysis, sensitivityAnalysisInput } from './sensitivity-analysis.js';
export type { SensitivityAnalysisInput, SensitivityAnalysisResult, SensitivityRow } from './sensitivity-analysis.js';
export { meanInterval, studentTQuantile } from './student-t.js';
export type { MeanInterval } from './student-t.js';
export { ANALYZER_SYSTEM_PROMPT } from './system-prompt.js';
