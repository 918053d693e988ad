/**
 * Template health, project upgrades and the template fleet for the legacy
 * frontend system; the new system uses the `./alpha` entry point.
 *
 * @packageDocumentation
 */
export {
  templatesPlugin,
  TemplateHealthPage,
  EntityTemplateHealthCard,
  TemplateCardWithHealth,
  EntityTemplateUpgradeCard,
  TemplateFleetPage,
} from './plugin';
export { isTemplateHealthAvailable } from './conditions';
export { isTemplateUpgradeAvailable } from './components/TemplateUpgradeCard/conditions';
export { templatesApiRef, TemplatesClient } from './api';
export type { TemplatesApi } from './api';
export { templateUpgradesApiRef } from './api/TemplateUpgradesApi';
export type { TemplateUpgradesApi } from './api/TemplateUpgradesApi';
export { TemplateUpgradesClient } from './api/TemplateUpgradesClient';
export type { TemplateCardWithHealthProps } from './components/TemplateCardWithHealth';
export type {
  TemplateHealthDetails,
  TemplateHealthListResponse,
  TemplateHealthSummary,
  TemplateReport,
  TemplateVerdict,
  ProjectUpgradeInfo,
  TemplateFleet,
  UpgradeBatch,
  UpgradeJob,
} from '@paved-road/plugin-templates-common';
