export { templatesApiRef } from './TemplatesApi';
export type { TemplatesApi } from './TemplatesApi';
export { TemplatesClient } from './TemplatesClient';
