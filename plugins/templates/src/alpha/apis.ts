import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { templatesApiRef } from '../api/TemplatesApi';
import { TemplatesClient } from '../api/TemplatesClient';

export const templatesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: templatesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TemplatesClient({ discoveryApi, fetchApi }),
    }),
});
