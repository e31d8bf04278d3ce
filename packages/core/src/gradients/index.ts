/**
 * Gradient methods: calibration of the simulator itself and sensitivities from one reverse pass.
 */
export { calibrate, observedStepLoss } from './calibrate.js';
export type { CalibrateOptions, CalibrationResult, EpochInfo, LayersModelLike, NetworkParameter } from './calibrate.js';
export { sensitivity, rankSensitivities, parseOutput, AGGREGATES } from './sensitivity.js';
export type { Aggregate, OutputSpec, SensitivityEntry, SensitivityOptions, SensitivityResult } from './sensitivity.js';
export { rolloutGradients } from './rollout-gradients.js';
export type { RolloutGradientOptions, RolloutGradientResult, StepLoss } from './rollout-gradients.js';
export { isCountLoss, validateObserved } from './losses.js';
export type { LossSpec, ObservedData, PointLoss } from './losses.js';
export { fromUnconstrained, toUnconstrained } from './reparameterize.js';
