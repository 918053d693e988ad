export { createHealthRouter } from './router';
export type { HealthRouterDeps } from './router';
export { setUpTemplateHealth } from './setUpTemplateHealth';
export { readTemplateHealthConfig } from './config';
export type { TemplateHealthConfig } from './config';
