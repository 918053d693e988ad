import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { deploymentsApiRef } from '../api/DeploymentsApi';
import { DeploymentsClient } from '../api/DeploymentsClient';

export const deploymentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: deploymentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeploymentsClient({ discoveryApi, fetchApi }),
    }),
});
