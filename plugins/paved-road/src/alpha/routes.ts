import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The catalog hygiene page (new frontend system). */
export const hygieneRouteRef = createRouteRef();
