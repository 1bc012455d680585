/**
 * `stepflare/react`: React hooks over `stepflare/client`, shaped like Motia's
 * `@motiadev/stream-client-react` (`MotiaStreamProvider` is an alias of `StreamProvider`).
 *
 * @example
 * ```tsx
 * <StreamProvider address="ws://localhost:8787">
 *   <Board />
 * </StreamProvider>
 * function Board() {
 *   const { data } = useStreamGroup<Order>({ streamName: 'orders', groupId: 'board' })
 *   return <ul>{data.map((o) => <li key={o.id}>{o.status}</li>)}</ul>
 * }
 * ```
 * @module
 */
import { createContext, type DependencyList, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react'
import { Stream, type StreamOptions } from '../client/stream.js'
import type { StreamSubscription } from '../client/subscription.js'

type Item = { id: string } & Record<string, unknown>

const StreamContext = createContext<{ stream: Stream | null }>({ stream: null })

export interface StreamProviderProps extends StreamOptions {
  address: string
  children?: ReactNode
}

export function StreamProvider({ address, children, ...options }: StreamProviderProps) {
  const protocols = options.protocols?.join(',')
  // biome-ignore lint/correctness/useExhaustiveDependencies: reconnect only when the address or protocols change
  const stream = useMemo(() => (typeof window === 'undefined' && !options.WebSocket ? null : new Stream(address, options)), [address, protocols])
  useEffect(() => () => stream?.close(), [stream])
  return <StreamContext.Provider value={{ stream }}>{children}</StreamContext.Provider>
}

/** Motia's name for {@link StreamProvider}. */
export const MotiaStreamProvider = StreamProvider

export function useStream(): { stream: Stream | null } {
  return useContext(StreamContext)
}

/** Motia's name for {@link useStream}. */
export const useMotiaStream = useStream

export function useStreamItem<T extends Item = Item>({ streamName, groupId, id }: { streamName: string; groupId: string; id?: string }) {
  const { stream } = useStream()
  const [data, setData] = useState<T | null>(null)
  const [event, setEvent] = useState<StreamSubscription<T | null> | null>(null)
  useEffect(() => {
    if (!stream || !id) return
    const sub = stream.subscribeItem<T>(streamName, groupId, id)
    sub.addChangeListener(setData)
    setEvent(sub)
    return () => {
      sub.close()
      setData(null)
      setEvent(null)
    }
  }, [stream, streamName, groupId, id])
  return { data, event }
}

export function useStreamGroup<T extends Item = Item>({
  streamName,
  groupId,
  sortKey,
  setData: external,
}: {
  streamName: string
  groupId: string
  sortKey?: keyof T
  setData?: (data: T[]) => void
}) {
  const { stream } = useStream()
  const [data, setData] = useState<T[]>([])
  const [event, setEvent] = useState<StreamSubscription<T[]> | null>(null)
  // The caller's callback may be a new function each render: read the latest one, don't resubscribe.
  const externalRef = useRef(external)
  externalRef.current = external
  useEffect(() => {
    if (!stream) return
    const sub = stream.subscribeGroup<T>(streamName, groupId, sortKey)
    sub.addChangeListener((d) => {
      setData(d)
      externalRef.current?.(d)
    })
    setEvent(sub)
    return () => {
      sub.close()
      setData([])
      setEvent(null)
    }
  }, [stream, streamName, groupId, sortKey])
  return { data, event }
}

/** Listens for a custom event (`ctx.streams.<name>.send`) on a subscription from the hooks above. */
export function useStreamEventHandler(
  // biome-ignore lint/suspicious/noExplicitAny: a subscription of any state type
  { event, type, listener }: { event: StreamSubscription<any> | null; type: string; listener: (data: unknown) => void },
  deps: DependencyList = [],
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when the listener changes
  useEffect(() => {
    if (!event) return
    const sub = event
    sub.onEvent(type, listener)
    return () => sub.offEvent(type, listener)
  }, [event, type, ...deps])
}
