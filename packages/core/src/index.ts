/**
 * @populace/core: the tensor substrate, plugin runtime, models and simulations
 * of Populace.
 */
export { tf } from './tf.js';
export type { Tensor, Scalar, Tensor1D } from './tf.js';
export { PopulaceError } from './errors.js';
export { closest, describeValue, isPlainObject } from './validate.js';
export type { PopulaceErrorCode, PopulaceErrorOptions } from './errors.js';
export { BACKEND_CHOICES, detectBackends } from './backend.js';
export type { BackendChoice, BackendInfo, BackendName } from './backend.js';
export { definePlugin } from './plugin.js';
export type { Contribution, ModelIdOf, PluginDefinition, PopulationIdOf } from './plugin.js';
export { defineModel } from './model.js';
export type { AgentTypeSpec, EnvironmentSpec, InitContext, Initializer, ModelDefinition, NetworkSpec, PropertySpec, StateDtype, StateSpec } from './model.js';
export { defineSubstep } from './substep.js';
export type { BehaviorHandle, EventSampler, RandomDraws, SampleOptions, StateUpdates, SubstepContext, SubstepDefinition } from './substep.js';
export { countWhere, meanOf, sumOf } from './metrics.js';
export type { MetricContext, MetricSpec } from './metrics.js';
export { isBehaviorSource } from './behavior.js';
export type { Behavior, BehaviorContext, BehaviorSlot, BehaviorSlots, BehaviorSource, BehaviorSourceOptions } from './behavior.js';
export { definePopulation } from './population.js';
export type { AgentTable, AttributeArray, AttributeInfo, AttributeSchema, CsrNetwork, HashedNetwork, PopulationBuildOptions, PopulationData, PopulationDefinition } from './population.js';
export { parseParamAssignment } from './parameters.js';
export type { ParameterSpec, ParamValue } from './parameters.js';
export type { AgentPath, EnvPath, NetworkPath, StatePath } from './state-path.js';
export { createRuntime } from './runtime.js';
export { defineConfig } from './config.js';
export type { PopulaceConfig } from './config.js';
export type { CreateSimulationOptions, ModelDescription, PopulationDescription, Runtime, RuntimeOptions } from './runtime.js';
export { Registry } from './registry.js';
export type { Registered } from './registry.js';
export { Simulation } from './simulation.js';
export type { Progress, RunOptions, RunResult, SimulationInfo } from './simulation.js';
export { gatherReduce } from './kernels/gather-reduce.js';
export { getKernelThreads, setKernelThreads, shutdownKernelThreads } from './kernels/worker-pool.js';
export { bernoulliEvent } from './kernels/bernoulli-event.js';
export type { BernoulliEventOptions } from './kernels/bernoulli-event.js';
export { applyFlows, linearCombine } from './kernels/linear-combine.js';
export { sumAll } from './kernels/sum-all.js';
export { hashedContactsCsr, hashedGather } from './kernels/hashed-gather.js';
export type { HashedContacts } from './kernels/hashed-gather.js';
export type { NetworkHandle } from './state-init.js';
export type { CsrTensors } from './kernels/gather-reduce.js';
export { fillUniform, hashString, streamKey, uint32At, uniformAt } from './random.js';
export { AGGREGATES, calibrate, isCountLoss, parseOutput, rankSensitivities, rolloutGradients, sensitivity, validateObserved } from './gradients/index.js';
export type { Aggregate, CalibrateOptions, CalibrationResult, EpochInfo, LayersModelLike, LossSpec, NetworkParameter, ObservedData, OutputSpec, PointLoss, RolloutGradientOptions, RolloutGradientResult, SensitivityEntry, SensitivityOptions, SensitivityResult, StepLoss } from './gradients/index.js';
