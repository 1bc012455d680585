import { useEffect, useState } from 'react'
import { send } from './api'

const cache = new Map<string, string>()

/**
 * The stack with frames of the dev bundle mapped to the original files (`POST /dev/stack`, which
 * `stepflare dev` answers); the stack as recorded until then, or when mapping is not available.
 */
export function useMappedStack(stack: string | undefined): string | undefined {
  const [mapped, setMapped] = useState(() => (stack ? cache.get(stack) : undefined))
  useEffect(() => {
    if (!stack?.includes('entry.js:')) return
    const known = cache.get(stack)
    if (known) return setMapped(known)
    let live = true
    send<{ stack: string }>('POST', '/dev/stack', { stack })
      .then((r) => {
        cache.set(stack, r.stack)
        if (live) setMapped(r.stack)
      })
      .catch(() => {})
    return () => {
      live = false
    }
  }, [stack])
  return mapped ?? stack
}
