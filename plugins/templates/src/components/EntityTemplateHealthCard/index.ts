export { EntityTemplateHealthCard } from './EntityTemplateHealthCard';
