export { TemplateCardWithHealth } from './TemplateCardWithHealth';
export type { TemplateCardWithHealthProps } from './TemplateCardWithHealth';
