import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react'
import { get } from './api'
import type { Manifest, Step } from './types'
import { usePoll } from './use-poll'

const Ctx = createContext<Manifest | undefined>(undefined)

export interface DevStatus {
  /** Changes when the Worker's steps change (a reload of `stepflare dev`, a deploy). */
  version: string
  /** Under `stepflare dev`: the last change failed to load, and the last good version still runs. */
  broken?: boolean
  problems?: { file: string; field: string; message: string }[]
}

/** The project's steps, read again whenever the Worker reports a new version, with a banner while a change does not load. */
export function ManifestProvider({ children, fallback }: { children: ReactNode; fallback: (error?: Error) => ReactNode }) {
  const manifest = usePoll((signal) => get<Manifest>('/manifest', signal), 0, [])
  const status = usePoll((signal) => get<DevStatus>('/dev/status', signal), 2000, [])
  const version = useRef<string | undefined>(undefined)
  const { reload } = manifest
  useEffect(() => {
    const next = status.data?.version
    if (!next) return
    if (version.current !== undefined && version.current !== next) reload()
    version.current = next
  }, [status.data?.version, reload])
  if (!manifest.data) return <>{fallback(manifest.error)}</>
  return (
    <Ctx.Provider value={manifest.data}>
      {status.data?.broken ? <StaleBanner problems={status.data.problems ?? []} /> : null}
      {children}
    </Ctx.Provider>
  )
}

function StaleBanner({ problems }: { problems: NonNullable<DevStatus['problems']> }) {
  return (
    <div className="stale-banner" role="alert" data-testid="stale-banner">
      <strong>Your last change does not load — the last good version keeps running.</strong>
      <ul>
        {problems.map((p) => (
          <li key={`${p.file} ${p.field} ${p.message}`}>
            <code>{p.file}</code> {p.field}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  )
}

export function useManifest(): Manifest {
  const m = useContext(Ctx)
  if (!m) throw new Error('useManifest outside ManifestProvider')
  return m
}

export function useStep(name: string | undefined): Step | undefined {
  return useManifest().steps.find((s) => s.name === name)
}
