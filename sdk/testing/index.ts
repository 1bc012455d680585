/**
 * `stepflare/testing`: unit-test one handler with {@link createMockContext}, or drive the whole
 * project inside workerd with {@link createFlowTester} (under `@cloudflare/vitest-pool-workers`).
 * For the vitest config, `stepflare/testing/vitest` generates `.stepflare/` and says where the
 * generated wrangler configuration is.
 * @module
 */
export { createFlowTester, type FetchTarget, type FlowTester, type FlowTesterOptions, type RequestOptions } from './flow-tester'
export type { CapturedEvent, FlowResponse, FlowWatcher, TraceJson, TraceRun } from './flow-types'
export {
  createMockContext,
  createMockLogger,
  createMockState,
  createMockStream,
  type MockContext,
  type MockContextOptions,
  type MockLogger,
  type MockState,
  type MockStream,
} from './mock-context'
