import { useCallback, useEffect, useRef, useState } from 'react'

export interface Poll<T> {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  reload: () => void
}

/**
 * Loads `fn` now and every `intervalMs` while the component is mounted and the tab is visible
 * (0: once). Nothing runs once the view is closed, so a closed workbench costs the server nothing.
 */
export function usePoll<T>(fn: (signal: AbortSignal) => Promise<T>, intervalMs: number, deps: unknown[]): Poll<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<Error>()
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)
  const fnRef = useRef(fn)
  fnRef.current = fn
  const reload = useCallback(() => setTick((t) => t + 1), [])

  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  useEffect(() => {
    const ctrl = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    let last: string | undefined
    const run = async () => {
      if (stopped) return
      if (document.visibilityState === 'visible' || timer === undefined) {
        try {
          const value = await fnRef.current(ctrl.signal)
          if (stopped) return
          // Unchanged data re-renders nothing: a view left open on a quiet backend does no work.
          const text = JSON.stringify(value)
          if (text !== last) {
            last = text
            setData(value)
          }
          setError(undefined)
        } catch (err) {
          if (stopped || (err as Error).name === 'AbortError') return
          setError(err as Error)
        } finally {
          if (!stopped) setLoading(false)
        }
      }
      if (intervalMs > 0 && !stopped) timer = setTimeout(run, intervalMs)
    }
    setLoading(true)
    run()
    return () => {
      stopped = true
      ctrl.abort()
      clearTimeout(timer)
    }
  }, [...deps, tick, intervalMs])

  return { data, error, loading, reload }
}
