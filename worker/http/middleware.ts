/**
 * Motia's middleware chain: `mw(req, ctx, next)`, first in the array runs first (outermost), the
 * same `req` object throughout (mutations reach the handler), short-circuit by returning.
 * @module
 */
// biome-ignore lint/suspicious/noExplicitAny: middleware and handlers are generic over req and ctx
type Fn = (...args: any[]) => unknown

export function composeMiddleware(middleware: readonly Fn[], handler: Fn): (req: unknown, ctx: unknown) => unknown {
  if (middleware.length === 0) return handler
  return (req, ctx) => {
    let last = -1
    const dispatch = async (i: number): Promise<unknown> => {
      if (i <= last) throw new Error('next() called multiple times in one middleware')
      last = i
      const mw = middleware[i]
      return mw ? mw(req, ctx, () => dispatch(i + 1)) : handler(req, ctx)
    }
    return dispatch(0)
  }
}
