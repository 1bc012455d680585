/**
 * What a generated entry imports for its Python steps.
 * @module
 */
export { workerPythonBridge } from './bridge'
export { StepflarePython } from './container'
export { pythonStepModule } from './python-step'
