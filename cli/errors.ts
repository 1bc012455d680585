/**
 * Errors the CLI reports to the user: a message that says what is wrong and a hint that says what
 * to do next. Anything else that escapes is a bug and is printed with its stack.
 * @module
 */
export class CliError extends Error {
  readonly hint?: string
  readonly exitCode: number
  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'CliError'
    this.hint = options.hint
    this.exitCode = options.exitCode ?? 1
  }
}

/** The project's config has errors; they were already printed. */
export class ConfigInvalidError extends CliError {
  constructor(count: number) {
    super(`${count} configuration error${count === 1 ? '' : 's'}`, { hint: 'Fix the errors above and run the command again.' })
    this.name = 'ConfigInvalidError'
  }
}
