import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the legacy app mounts the catalog hygiene page. */
export const hygieneRouteRef = createRouteRef({ id: 'paved-road-hygiene' });
