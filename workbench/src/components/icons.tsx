/** Inline stroke icons for the sidebar (no icon font, nothing fetched). */
const PATHS: Record<string, string> = {
  flows: 'M5 6h4v4H5zM15 14h4v4h-4zM15 4h4v4h-4zM9 8h6M9 8l6 8',
  endpoints: 'M4 12h10M10 6l6 6-6 6M18 5v14',
  traces: 'M4 6h8M8 12h10M6 18h7',
  logs: 'M5 5h14v14H5zM8 9h8M8 12h8M8 15h5',
  state: 'M12 4c4.4 0 8 1.3 8 3s-3.6 3-8 3-8-1.3-8-3 3.6-3 8-3zM4 7v10c0 1.7 3.6 3 8 3s8-1.3 8-3V7M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
  streams: 'M3 8c3-3 6 3 9 0s6 3 9 0M3 13c3-3 6 3 9 0s6 3 9 0M3 18c3-3 6 3 9 0s6 3 9 0',
  queues: 'M4 5h16v4H4zM4 11h16v4H4zM4 17h10v3H4z',
  cron: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 2',
}

export function Icon({ name, size = 18 }: { name: string; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.7}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      <path d={PATHS[name] ?? ''} />
    </svg>
  )
}
