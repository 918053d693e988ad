import { createRouteRef } from '@backstage/core-plugin-api';

/** The template health page (`/template-health` by default). */
export const templateHealthRouteRef = createRouteRef({
  id: 'templates:template-health',
});
