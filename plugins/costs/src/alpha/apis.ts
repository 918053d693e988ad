import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { costsApiRef } from '../api/CostsApi';
import { CostsClient } from '../api/CostsClient';

export const costsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: costsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CostsClient({ discoveryApi, fetchApi }),
    }),
});
