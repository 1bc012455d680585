/**
 * `.stepflare/manifest.json`: the project's steps as plain JSON (schemas as JSON Schema, functions
 * reduced to their count) for the system routes, the workbench, types and `stepflare flows`.
 * @module
 */
import type { StepModel } from '../sdk/config/model'
import { type SerializedTrigger, serializeTrigger } from '../sdk/config/serialize'
import { toJsonSchema } from './json-schema'

export type ManifestTrigger = SerializedTrigger

export interface ManifestStep extends Omit<StepModel, 'triggers'> {
  triggers: ManifestTrigger[]
}

export interface Manifest {
  version: 1
  name: string
  steps: ManifestStep[]
}

export function buildManifest(name: string, steps: StepModel[]): Manifest {
  return { version: 1, name, steps: steps.map((s) => ({ ...s, triggers: s.triggers.map((t) => serializeTrigger(t, toJsonSchema)) })) }
}
