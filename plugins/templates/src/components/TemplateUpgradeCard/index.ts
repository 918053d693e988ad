export { TemplateUpgradeCard } from './TemplateUpgradeCard';
export { isTemplateUpgradeAvailable } from './conditions';
