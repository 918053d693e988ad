export { TemplateFleetPage } from './TemplateFleetPage';
export { templateFleetRouteRef } from './routes';
