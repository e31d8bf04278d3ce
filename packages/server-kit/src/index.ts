/**
 * @populace/server-kit: what the Populace servers share — the run store
 * (SQLite), the executor (scheduler, queue, cancellation, limits, progress
 * events), run analysis (metrics, comparisons, scenario sweeps) and plots.
 * The MCP and GraphQL servers put their protocol on it; both use its HTTP
 * guard (Host, Origin, bearer token), body limit, JSON refusals and listener.
 */
export { listModels, listOdeComponents, listPopulations, needRows, needsText } from './catalog.js';
export type { ModelSummary, OdeComponentSummary, PopulationNeedRow, PopulationSummary } from './catalog.js';
export { behaviorModelFromEnv } from './behavior-model.js';
export { checkBehaviors, fillBehaviors } from './check-behaviors.js';
export { checkJob, checkSimulation } from './check-job.js';
export { checkSnapshot, snapshotJson, withOperatorHint } from './check-snapshot.js';
export type { CheckedSnapshot, RunSnapshot, RunSnapshotOutcome } from './check-snapshot.js';
export type { PopulationAccess } from './check-job.js';
export { compareRuns, comparisonTable, formatComparison, summarizeSeries } from './compare.js';
export type { ComparisonEntry } from './compare.js';
export { checkHost, DEFAULT_HTTP_HOST, DEFAULT_MAX_BODY_BYTES, HTTP_OPTIONS, httpOptionsHelp, integerOption, parseHttpArgs, TOKEN_ENV } from './http-args.js';
export type { HttpArgs } from './http-args.js';
export { checkToken, createHttpGuard, hostHeaderName, isLoopbackHost, MIN_TOKEN_LENGTH, tokenMatches } from './http-guard.js';
export type { HttpGuard, HttpGuardOptions } from './http-guard.js';
export { listenHttp, urlHost } from './http-listen.js';
export { HttpRefusal, parseJsonBody, readRequestBody, refusalBody, sendRefusal } from './http-refusal.js';
export type { HttpRefusalCode, RefusalStyle } from './http-refusal.js';
export { DB_ENV, DEFAULT_DB_FILE, resolveDbPath } from './db-path.js';
export { baseExecutor, executorForClient } from './client-executor.js';
export type { SubmitOptions } from './client-slots.js';
export type { CancelResult, Executor, ExecutorStats, RunEvent, RunEventType, RunListener } from './executor.js';
export { createInProcessExecutor, toRunError } from './in-process-executor.js';
export type { InProcessExecutorOptions } from './in-process-executor.js';
export { CALIBRATE_LOSSES, DEFAULT_EPOCHS, DEFAULT_STEPS } from './job-request.js';
export type { CalibrateLoss, CalibrateRequest, CheckedJob, CheckedSimulation, JobRequest, RunRequest, ScenariosRequest, SensitivityRequest, SimulationRequest } from './job-request.js';
export { checkLimit, DEFAULT_LIMITS, LIMIT_FLAGS, resolveLimits } from './limits.js';
export type { RunLimits } from './limits.js';
export { DOWNSAMPLE_METHODS, getMetrics, metricsCsv } from './metrics-query.js';
export type { DownsampleMethod, MetricsQuery, MetricsSlice } from './metrics-query.js';
export { MAX_PLOT_RUNS, plotRuns } from './plot-runs.js';
export { metricsCells, metricsColumns, metricsTable } from './results/metrics-table.js';
export type { MetricsTable } from './results/metrics-table.js';
export { metricsParquet, PARQUET_MIME_TYPE, parquetBytes, snapshotParquet, sweepParquet } from './results/parquet.js';
export type { ParquetColumn } from './results/parquet.js';
export { isRunFileName, RUN_FILE_TYPES, RUN_FILES, runFile, runFileNames, runFilePath, runSnapshot } from './results/run-files.js';
export type { RunFile, RunFileName } from './results/run-files.js';
export { snapshotCells, snapshotColumns } from './results/snapshot-table.js';
export type { AnySnapshot, SnapshotColumn } from './results/snapshot-table.js';
export { storedSweepTable, sweepOutcome } from './results/stored-sweep.js';
export { sweepParamNames, sweepRows } from './results/sweep-table.js';
export type { SweepDocument, SweepRow, SweepTable } from './results/sweep-table.js';
export type { PlotRunsOptions } from './plot-runs.js';
export { isTerminal, RUN_KINDS, RUN_STATUSES, TERMINAL_STATUSES } from './run-record.js';
export type { CalibrateOutcome, ComparisonRow, ComparisonTable, RunError, RunKind, RunOutcome, RunProgress, RunRecord, RunStatus, Scenario, ScenariosOutcome, SensitivityOutcome, SeriesSummary } from './run-record.js';
export { openRunStore, RunStore } from './run-store.js';
export { createMemoryRunStore } from './memory-run-store.js';
export { interruptedMessage } from './store-rows.js';
export type { NewRun, RunFilter, RunStoreOptions, StoredSeries } from './run-store.js';
export { SCHEMA_VERSION } from './store-schema.js';
export { parseServerArgs, SERVER_OPTIONS, SERVER_OPTIONS_HELP, stopSignal } from './server-args.js';
export type { ServerMainIO } from './server-args.js';
export { createServerKit, describePluginSources, openServerKit } from './server-kit.js';
export { CONFIG_FILES, discoverPlugins, importPluginPackage, INSTALL_DIR, loadConfig, loadPlugins, loadRuntime, PLUGINS_ENV, pluginsFromEnv, resolvePluginSpecifier } from './plugins/index.js';
export type { LoadedPlugins, LoadedRuntime, LoadPluginsOptions, PluginSource, ResolvedPluginSpecifier } from './plugins/index.js';
export { openAllowedPopulationFile, resolveDataDirs } from './population-files.js';
export type { DataDirs } from './population-files.js';
export type { ServerKit, ServerKitArgs, ServerKitOptions } from './server-kit.js';
export { createTaskQueue, executorTasks } from './analysis-tasks.js';
export type { TaskQueue, TaskQueueOptions, TaskStats } from './analysis-tasks.js';
export { createPopulationBuilder, DEFAULT_OFF_THREAD_AGENTS } from './population-worker.js';
export type { CountingPopulationBuilder, PopulationBuilder, PopulationBuilderOptions, PopulationBuilderStats, PopulationBuildRequestOptions, PopulationWorkerRequest, PopulationWorkerSource } from './population-worker.js';
export { defaultMemoryBudget, jobEstimate } from './job-memory.js';
export { checkComposition, checkInputs, checkInputSteps, composeChecked, isComposedModel, jobModelDefinition, MAX_INPUT_VALUES, MAX_INPUTS, MAX_LINKS } from './check-composition.js';
export type { CheckedComposition, CheckedInputs } from './check-composition.js';
export {
  behaviorsField,
  behaviorsSchema,
  lossSchema,
  observedSchema,
  outputSchema,
  paramsSchema,
  calibrateOperation,
  callOperation,
  comparisonTableSchema,
  DEFAULT_LOSS,
  DEFAULT_SWEEP_SEEDS,
  defineOperation,
  describeModelOperation,
  ensembleBands,
  findOperation,
  GRADIENT_WAIT_SECONDS,
  gridPoints,
  issueText,
  learnableField,
  listModelsOperation,
  listPopulationsOperation,
  MAX_SEED,
  maybeNumber,
  backendRows,
  listBackendsOperation,
  OPERATIONS,
  paramValueSchema,
  parseOperationInput,
  quantileSorted,
  RUN_WAIT_SECONDS,
  runHeadline,
  runOperation,
  runRecordSchema,
  runText,
  scenariosOperation,
  SCENARIOS_WAIT_SECONDS,
  schedulesField,
  seedSchema,
  sensitivityOperation,
  simulationFields,
  stepsField,
  strictObject,
  progressMessage,
  submitAndFollow,
  sweepOperation,
  unknownKeysText,
  unwrapField,
  waitField,
  wireInput,
} from './operations/index.js';
export type { BackendRow, Bands, FollowedJob, Operation, OperationContext, OperationName, UnwrappedField } from './operations/index.js';
