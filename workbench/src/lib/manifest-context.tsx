import { createContext, type ReactNode, useContext } from 'react'
import { get } from './api'
import type { Manifest, Step } from './types'
import { usePoll } from './use-poll'

const Ctx = createContext<Manifest | undefined>(undefined)

/** The project's steps, read once when the workbench opens (and again on a reload of the page). */
export function ManifestProvider({ children, fallback }: { children: ReactNode; fallback: (error?: Error) => ReactNode }) {
  const { data, error } = usePoll((signal) => get<Manifest>('/manifest', signal), 0, [])
  if (!data) return <>{fallback(error)}</>
  return <Ctx.Provider value={data}>{children}</Ctx.Provider>
}

export function useManifest(): Manifest {
  const m = useContext(Ctx)
  if (!m) throw new Error('useManifest outside ManifestProvider')
  return m
}

export function useStep(name: string | undefined): Step | undefined {
  return useManifest().steps.find((s) => s.name === name)
}
