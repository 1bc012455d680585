import { href } from '../lib/use-route'
import { Icon } from './icons'

const NAV = [
  ['flows', 'Flows'],
  ['endpoints', 'Endpoints'],
  ['traces', 'Traces'],
  ['logs', 'Logs'],
  ['state', 'State'],
  ['streams', 'Streams'],
  ['queues', 'Queues'],
  ['cron', 'Cron'],
] as const

export function Sidebar({ current }: { current: string }) {
  return (
    <nav className="sidebar">
      <a className="brand" href={href('flows')}>
        <span className="logo">
          <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden>
            <rect width="32" height="32" rx="7" fill="#f6821f" />
            <path d="M9 22l7-12 7 12z" fill="#fff" />
          </svg>
        </span>
        <span>
          <b>stepflare</b>
          <small>workbench</small>
        </span>
      </a>
      {NAV.map(([view, label]) => (
        <a key={view} href={href(view)} className={`nav-item ${current === view ? 'active' : ''}`} data-nav={view}>
          <Icon name={view} />
          <span>{label}</span>
        </a>
      ))}
      <div className="sidebar-foot">{location.host}</div>
    </nav>
  )
}
