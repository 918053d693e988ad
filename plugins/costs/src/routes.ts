import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the legacy app mounts the Cost tab. */
export const rootRouteRef = createRouteRef({ id: 'costs' });
