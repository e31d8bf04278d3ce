/**
 * create-populace-plugin: scaffolds a Populace plugin project. The command is the `create-populace-plugin`
 * bin; these are the same steps as functions.
 */
export { main, terminalAsk, USAGE } from './main.js';
export type { MainIO } from './main.js';
export { scaffoldPlugin } from './scaffold.js';
export type { ScaffoldOptions, ScaffoldResult } from './scaffold.js';
export { checkPackageName, checkPluginName, packageNameFromDir, pluginNameFromPackage, PLUGIN_NAME, ScaffoldError } from './names.js';
export { pluginFiles } from './templates.js';
export type { TemplateNames } from './templates.js';
export { CORE_RANGE, DEV_TOOLS } from './versions.js';
