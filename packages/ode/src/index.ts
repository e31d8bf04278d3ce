/**
 * @populace/ode: ODE components for Populace. Differentiable batched solvers
 * (RK4, Dormand-Prince 5(4), Rosenbrock ROS2) for millions of small systems at
 * once, ODE components as substeps of agent-based models, ODE-only SIR/SEIR
 * models, and a target-cell-limited within-host viral model.
 */
export { plugin, default } from './plugin.js';
export { defineOdeComponent, evaluateOutputs, initialState, isOdeComponent, parameterTensors } from './component.js';
export type { OdeComponent, OdeComponentInput, OdeDerivative, OdeInputSpec, OdeJacobian, OdeOutputSpec, OdePointwise, OdeVariableSpec } from './component.js';
export { ODE_METHODS, solveOde } from './solve.js';
export type { OdeMethod, OdeSolution, SolveOdeOptions } from './solve.js';
export { odeParameters, odeSubstep } from './ode-substep.js';
export type { OdeSubstepOptions } from './ode-substep.js';
export { luFactor, luSolve } from './batched-linear.js';
export type { BatchLu, BatchMatrix } from './batched-linear.js';
export { seirModel, seirOde, sirModel, sirOde } from './compartmental.js';
export { BACCAM_2006, viralTcl } from './viral.js';
export { fluNetwork } from './flu-network.js';
