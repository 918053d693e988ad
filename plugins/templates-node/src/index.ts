/**
 * Node library for Paved Road templates: reading a template's directory,
 * its version and its changelog.
 *
 * @packageDocumentation
 */

export {
  declaredTemplateVersion,
  hashTemplateFiles,
  readTemplateDirectory,
  templateBaseUrl,
  templateVersionOf,
  type TemplateFile,
} from './templateDirectory';
export { changelogBetween, parseChangelog } from './changelog';
export { secretFieldPaths } from './secretFields';
