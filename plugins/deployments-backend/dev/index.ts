import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// Standalone backend for working on this plugin: `yarn start` in this
// directory. It reads the repository's app-config.yaml, whose
// `deployments.sampleData.file: ../../examples/deployments.yaml` resolves
// from here just as it does from packages/backend.
//
//   curl http://localhost:7007/api/deployments/health
//   curl http://localhost:7007/api/deployments/entities/default/component/orders-service/deployments
//   curl http://localhost:7007/api/deployments/entities/default/component/orders-service/settings
//   curl http://localhost:7007/api/deployments/entities/default/component/orders-service/settings/versions
//
// Mock auth treats requests without a token as a signed-in user; send
// `-H 'Authorization: Bearer mock-none-token'` to see the 401.

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
// No catalog here: the repository sync finds no projects and settings of
// real projects are not writable. Run the full backend for those.
backend.add(catalogServiceMock.factory({ entities: [] }));
backend.add(import('../src'));

backend.start();
