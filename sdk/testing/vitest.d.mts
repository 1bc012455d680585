/** See vitest.mjs. */
export declare function prepareStepflare(root?: string): Promise<{ configPath: string; alias: Record<string, string> }>
