import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { InputError, ResponseError } from '@backstage/errors';
import { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import express from 'express';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  DefaultPavedRoadAuditService,
  pavedRoadAuditServiceRef,
} from './PavedRoadAuditService';

const event: AuditEventInput = {
  id: '0b5f3a4e-8d0c-4c8e-9a53-5d8c8f3f2c11',
  action: 'settings.changed',
  outcome: 'succeeded',
  actor: 'user:default/guest',
  entityRef: 'component:default/orders-service',
  summary: 'replicas 2 → 3',
};

const baseUrl = 'http://backstage.test/api/paved-road';

describe('DefaultPavedRoadAuditService', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const audit = DefaultPavedRoadAuditService.create({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => baseUrl,
    }),
    auth: mockServices.auth({ pluginId: 'deployments' }),
  });

  it('posts the validated event with the plugin service token', async () => {
    let received: { authorization: string | null; body: unknown } | undefined;
    server.use(
      http.post(`${baseUrl}/audit/events`, async ({ request: req }) => {
        received = {
          authorization: req.headers.get('authorization'),
          body: await req.json(),
        };
        return HttpResponse.json({ id: event.id }, { status: 201 });
      }),
    );

    await audit.record(event);

    expect(received?.authorization).toMatch(/^Bearer mock-service-token:/);
    expect(received?.authorization).toContain('"sub":"plugin:deployments"');
    expect(received?.authorization).toContain('"target":"paved-road"');
    // details defaults to {} as the schema says
    expect(received?.body).toEqual({ ...event, details: {} });
  });

  it('refuses an invalid event before sending it, naming the field', async () => {
    let calls = 0;
    server.use(
      http.post(`${baseUrl}/audit/events`, () => {
        calls += 1;
        return new HttpResponse(null, { status: 201 });
      }),
    );

    const bad = { ...event, id: 'not-a-uuid' };
    const error = await audit.record(bad).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^Invalid audit event id:/);
    expect(calls).toBe(0);
  });

  it('throws a ResponseError carrying the status when refused', async () => {
    server.use(
      http.post(`${baseUrl}/audit/events`, () =>
        HttpResponse.json(
          {
            error: { name: 'ConflictError', message: 'Event already stored' },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );

    const error = await audit.record(event).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe('Event already stored');
  });
});

describe('pavedRoadAuditServiceRef', () => {
  it('writes as the plugin that depends on it, through the real auth services', async () => {
    const received: Array<{ subject: string; body: unknown }> = [];

    // Stands in for paved-road-backend: accepts service principals only
    const fakePavedRoad = createBackendPlugin({
      pluginId: 'paved-road',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
          },
          async init({ httpRouter, httpAuth }) {
            const router = express.Router();
            router.use(express.json());
            router.post('/audit/events', async (req, res) => {
              const credentials = await httpAuth.credentials(req, {
                allow: ['service'],
              });
              received.push({
                subject: credentials.principal.subject,
                body: req.body,
              });
              res.status(201).json({ id: req.body.id });
            });
            httpRouter.use(router);
          },
        });
      },
    });

    const writer = createBackendPlugin({
      pluginId: 'deployments',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            audit: pavedRoadAuditServiceRef,
          },
          async init({ httpRouter, audit }) {
            const router = express.Router();
            router.post('/record', async (_req, res) => {
              await audit.record(event);
              res.status(204).end();
            });
            httpRouter.use(router);
            httpRouter.addAuthPolicy({
              path: '/record',
              allow: 'unauthenticated',
            });
          },
        });
      },
    });

    const { server } = await startTestBackend({
      features: [fakePavedRoad, writer],
    });

    await request(server).post('/api/deployments/record').expect(204);

    expect(received).toEqual([
      { subject: 'plugin:deployments', body: { ...event, details: {} } },
    ]);
  });
});
