/**
 * Gradient methods: calibration of the simulator itself and sensitivities from one reverse pass.
 */
export { calibrate, observedStepLoss } from './calibrate.js';
export type { CalibrateOptions, CalibrationResult, EpochInfo, LayersModelLike, NetworkParameter } from './calibrate.js';
export { sensitivity, rankSensitivities, parseOutput, AGGREGATES } from './sensitivity.js';
export type { Aggregate, OutputSpec, SensitivityEntry, SensitivityOptions, SensitivityResult } from './sensitivity.js';
export { rolloutGradients } from './rollout-gradients.js';
export { rolloutGradientsAsync } from './rollout-gradients.js';
export type { RolloutGradientOptions, RolloutGradientResult, StepLoss } from './rollout-gradients.js';
export { isCountLoss, validateObserved } from './losses.js';
export type { LossSpec, ObservedData, PointLoss } from './losses.js';
export { fromUnconstrained, toUnconstrained } from './reparameterize.js';
export { diagnoseGradients } from './differentiability.js';
export type { DiagnoseOptions, GradientBreak, GradientDiagnosis } from './differentiability.js';
export { stochasticDerivatives, stochasticDerivativesAsync } from './stochastic-derivative.js';
export type { ParamEntry, StochasticDerivativeOptions, StochasticDerivativeResult } from './stochastic-derivative.js';
export { DEFAULT_STOCHASTIC_REPLICATES, defaultEstimator, resolveEstimator, GRADIENT_ESTIMATORS, STOCHASTIC_ALLOCATIONS, STOCHASTIC_STRATIFICATIONS, stochasticDerivativeSteps } from './estimators.js';
export type { EstimatorChoice, GradientEstimator, StochasticAllocation, StochasticStratification } from './estimators.js';
export { gradientAccuracy, GRADIENT_CRITERION, MEASURED_DEVIATIONS } from './measured-deviations.js';
export type { GradientAccuracy, MeasuredDeviation } from './measured-deviations.js';
export { pathwiseGradients, pathwiseGradientsAsync } from './pathwise.js';
