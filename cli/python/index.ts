/**
 * The Python bridge on the Node side: read the Python steps' configs, run the runner for
 * `stepflare dev`, and generate the production container.
 * @module
 */
export {
  type ContainerFiles,
  type ContainerOptions,
  containerFiles,
  INSTANCE_TYPES,
  type InstanceType,
  type WranglerContainerEntry,
  writeContainerFiles,
} from './container-files'
export { BRIDGE_DIR, PythonNotFoundError, pythonCommand, pythonEnv, RUNNER_PACKAGE_DIR } from './paths'
export { type PythonConfigs, type PythonProblem, type PythonStepEntry, type ReadOptions, readPythonConfigs } from './read-configs'
export { PythonRunner, type RunnerHealth, type RunnerOptions, RunnerStartError, startRunner } from './runner-process'
