import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the legacy app mounts the Cost tab. */
export const rootRouteRef = createRouteRef({ id: 'costs' });

/**
 * The Cost explorer page; shared by both frontend systems so the Cost tab's
 * link into it resolves in either.
 */
export const costExplorerRouteRef = createRouteRef({ id: 'costs:explorer' });
