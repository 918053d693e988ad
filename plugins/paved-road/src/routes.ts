import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the legacy app mounts the catalog hygiene page. */
export const hygieneRouteRef = createRouteRef({ id: 'paved-road-hygiene' });

/**
 * The audit page. Legacy route refs also work in the new frontend system,
 * so one ref serves both: the entity card links to the page in either.
 */
export const auditRouteRef = createRouteRef({ id: 'paved-road-audit' });
