import { createRouteRef } from '@backstage/core-plugin-api';

/** The template fleet page (`/template-fleet` by default). */
export const templateFleetRouteRef = createRouteRef({
  id: 'templates:template-fleet',
});
