/**
 * Template health (and, as they land, project upgrades) for the legacy
 * frontend system; the new system uses the `./alpha` entry point.
 *
 * @packageDocumentation
 */
export {
  templatesPlugin,
  TemplateHealthPage,
  EntityTemplateHealthCard,
  TemplateCardWithHealth,
} from './plugin';
export { isTemplateHealthAvailable } from './conditions';
export { templatesApiRef, TemplatesClient } from './api';
export type { TemplatesApi } from './api';
export type { TemplateCardWithHealthProps } from './components/TemplateCardWithHealth';
export type {
  TemplateHealthDetails,
  TemplateHealthListResponse,
  TemplateHealthSummary,
  TemplateReport,
  TemplateVerdict,
} from '@paved-road/plugin-templates-common';
