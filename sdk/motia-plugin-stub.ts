/**
 * What `@motiadev/plugin-*` and other Motia-only packages resolve to in a stepflare project: Motia
 * workbench plugins have no meaning here, so a project's `motia.config.ts` can keep importing them
 * without having them installed.
 * @module
 */
const plugin = () => ({ workbench: [] })
export default plugin
export { plugin }
