import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

// A minimal backend for working on the costs plugin alone: `yarn start` in
// this package. It reads the repository's app-config, so `costs.sources`
// there decides what is ingested; generate sample data with
//
//   node examples/billing/generate-sample.mjs .data/billing
//
// then, with the mocked auth below:
//
//   curl http://localhost:7007/api/costs/health
//   curl 'http://localhost:7007/api/costs/entities/default/component/orders-service/costs?from=2026-11-01&to=2026-11-22'
//   curl http://localhost:7007/api/costs/entities/default/component/orders-service/costs -H 'Authorization: Bearer mock-none-token'

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
);

backend.add(import('../src'));

backend.start();
