import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A minimal backend for working on this plugin alone: `yarn start` here.
// With the mocked auth below, requests without a token act as a user:
//
//   curl 'http://localhost:7007/api/paved-road/audit?limit=10'
//   curl http://localhost:7007/api/paved-road/hygiene
//
// The catalog (for attribution and hygiene) runs beside it, with the
// unprocessed-entities module the hygiene list reads.

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));
backend.add(import('../src'));

backend.start();
