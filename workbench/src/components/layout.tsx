import type { ReactNode } from 'react'

/** The frame every view sits in: a title bar with actions, then the content. */
export function ViewHeader({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <header className="view-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      <div className="actions">{children}</div>
    </header>
  )
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-title">{title}</div>
      {children && <div className="empty-body">{children}</div>}
    </div>
  )
}

export function ErrorNote({ error }: { error?: Error }) {
  return error ? <div className="error-note">{error.message}</div> : null
}

export function Section({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <section className="section">
      <div className="section-title">
        <span>{title}</span>
        {right}
      </div>
      {children}
    </section>
  )
}

export function CodeBlock({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <pre className={`code ${className}`}>{children}</pre>
}
