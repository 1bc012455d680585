import { useEffect, useState } from 'react'

/**
 * Hash routing (`#/traces/ABC?status=failed`): the page is always `/__stepflare/`, so no route of
 * the UI can collide with the JSON routes beside it.
 */
export interface Route {
  view: string
  parts: string[]
  params: URLSearchParams
}

function parse(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?')
  const [view = 'flows', ...parts] = path.split('/').filter(Boolean).map(decodeURIComponent)
  return { view, parts, params: new URLSearchParams(search) }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash))
  useEffect(() => {
    const on = () => setRoute(parse(location.hash))
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  return route
}

export function href(view: string, parts: (string | undefined)[] = [], params: Record<string, string | undefined> = {}): string {
  const path = [view, ...parts.filter((p): p is string => !!p).map(encodeURIComponent)].join('/')
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString()
  return `#/${path}${q ? `?${q}` : ''}`
}

export function navigate(view: string, parts: (string | undefined)[] = [], params: Record<string, string | undefined> = {}): void {
  location.hash = href(view, parts, params)
}
