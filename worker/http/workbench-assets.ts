/**
 * The built workbench UI inside the Worker. `npm run build:workbench` (run by `npm install`)
 * writes `workbench/dist/workbench-assets.mjs`, a module exporting every file of the build as a
 * Data module (an ArrayBuffer outside the V8 heap: the UI adds nothing to the isolate's JS source or
 * heap); the generated entry imports it and hands it over here when it exists, so a Worker built
 * without it still runs and `/__stepflare/` explains how to build it.
 * @module
 */

export interface WorkbenchAsset {
  /** The Content-Type to answer with. */
  type: string
  /** The file's bytes. `new Response(body)` copies them, so one buffer serves every request. */
  body: ArrayBuffer
}

/** Keyed by the path under `/__stepflare/`: `index.html`, `assets/index-<hash>.js`, … */
export type WorkbenchAssets = Record<string, WorkbenchAsset>

let assets: WorkbenchAssets | undefined

export function setWorkbenchAssets(table: WorkbenchAssets): void {
  assets = table
}

export function workbenchAsset(path: string): WorkbenchAsset | undefined {
  return assets && Object.hasOwn(assets, path) ? assets[path] : undefined
}

export const NOT_BUILT_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>stepflare workbench</title></head>
<body style="font:15px system-ui;background:#0d1117;color:#e6edf3;padding:48px">
<h1 style="font-size:20px">The workbench is not built</h1>
<p>This Worker was generated without the workbench UI. Build it with <code>npm run build:workbench</code>
in the stepflare package (<code>npm install</code> does it), then restart <code>stepflare dev</code>.</p>
<p>The JSON routes under <code>/__stepflare/</code> work without it.</p></body></html>`
