export { TemplateHealthPage } from './TemplateHealthPage';
