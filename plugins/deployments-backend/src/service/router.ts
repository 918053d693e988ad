import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  type DeploymentDetails,
  type DeploymentEnvironmentsResponse,
  type DeploymentEventsResponse,
  type DeploymentListResponse,
  type DeploymentRuntime,
  type DoraMetrics,
  type DeploymentSettingsVersion,
  type DeploymentSettingsVersionListResponse,
  type ProjectState,
  type ServiceLevelObjectivesResponse,
  type SettingsErrorListResponse,
  type UpdateDeploymentSettingsResponse,
} from '@paved-road/plugin-deployments-common';
import { entityRefFromPathParams } from '@paved-road/plugin-paved-road-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DeploymentsStore } from '../database/DeploymentsStore';
import { DeploymentService } from '../deploy/DeploymentService';
import {
  createDeploymentRequestSchema,
  environmentSchema,
  parse,
  parseDeploymentId,
  rollbackRequestSchema,
  updateSettingsRequestSchema,
} from './requests';
import { ServiceLevelObjectivesService } from './ServiceLevelObjectivesService';
import { SettingsService } from './SettingsService';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** Settings are a few hundred bytes; anything near this is not a request. */
export const BODY_LIMIT = '64kb';

const DEFAULT_DORA_DAYS = 30;
const MAX_DORA_DAYS = 365;
const DEFAULT_EVENTS_LIMIT = 500;
const MAX_EVENTS_LIMIT = 1000;

/** An integer query parameter within bounds, or the default when absent. */
function parseIntegerQuery(
  name: string,
  value: unknown,
  bounds: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) {
    return bounds.fallback;
  }
  const number =
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= bounds.min && number <= bounds.max)) {
    throw new InputError(
      `${name} must be an integer between ${bounds.min} and ${bounds.max}`,
    );
  }
  return number;
}

function environmentFromQuery(value: unknown): string {
  return parse(
    z.object({
      environment: environmentSchema.default(DEFAULT_DEPLOYMENT_ENVIRONMENT),
    }),
    { environment: value },
  ).environment;
}

function environmentFromPath(req: Request): string {
  return parse(z.object({ environment: environmentSchema }), {
    environment: req.params.environment,
  }).environment;
}

function deploymentIdFromRequest(req: Request): string {
  return parseDeploymentId(req.params.id, 'id');
}

function parseLimit(value: unknown): number {
  if (value === undefined) {
    return DEFAULT_LIMIT;
  }
  const limit =
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw new InputError(`limit must be an integer between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

function entityRefFromRequest(req: Request): string {
  const entityRef = entityRefFromPathParams(req.params);
  if (!entityRef) {
    throw new InputError(
      'namespace, kind and name must each be a valid entity name part',
    );
  }
  return entityRef;
}

export interface RouterOptions {
  store: DeploymentsStore;
  settings: SettingsService;
  slos: ServiceLevelObjectivesService;
  deployments: DeploymentService;
  httpAuth: HttpAuthService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, settings, slos, deployments, httpAuth } = options;
  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }));

  // Opened to unauthenticated callers by an auth policy in plugin.ts.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // For the hygiene list (paved-road-backend) and ops: one query, no paging,
  // as only broken projects are listed.
  router.get('/settings-errors', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });

    const body: SettingsErrorListResponse = {
      items: await store.listSettingsErrors(),
    };
    res.json(body);
  });

  const entityPath = '/entities/:namespace/:kind/:name';

  router.get(`${entityPath}/deployments`, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefFromRequest(req);
    const limit = parseLimit(req.query.limit);

    const body: DeploymentListResponse = {
      items: await store.listDeployments(entityRef, { limit }),
    };
    res.json(body);
  });

  router.get(`${entityPath}/settings`, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefFromRequest(req);

    const body: DeploymentSettingsVersion = await settings.getLatest(entityRef);
    res.json(body);
  });

  router.get(`${entityPath}/settings/versions`, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefFromRequest(req);

    const body: DeploymentSettingsVersionListResponse = {
      items: await store.listSettingsVersions(entityRef),
    };
    res.json(body);
  });

  router.put(`${entityPath}/settings`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = entityRefFromRequest(req);
    const change = parse(updateSettingsRequestSchema, req.body);

    const body: UpdateDeploymentSettingsResponse =
      await settings.updateSettings(entityRef, change, credentials);
    res.status(body.mode === 'commit' ? 201 : 202).json(body);
  });

  router.get(`${entityPath}/slos`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromRequest(req);

    const body: ServiceLevelObjectivesResponse = await slos.get(
      entityRef,
      credentials,
    );
    res.json(body);
  });

  router.get(`${entityPath}/project`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromRequest(req);

    const body: ProjectState = await settings.getProject(
      entityRef,
      credentials,
    );
    res.json(body);
  });

  for (const [path, deactivate] of [
    ['deactivate', true],
    ['reactivate', false],
  ] as const) {
    router.post(`${entityPath}/${path}`, async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = entityRefFromRequest(req);

      const body: ProjectState = await settings.setDeactivated(
        entityRef,
        deactivate,
        credentials,
      );
      res.json(body);
    });
  }

  router.post(`${entityPath}/deployments`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = entityRefFromRequest(req);
    const request = parse(createDeploymentRequestSchema, req.body);

    const body: DeploymentDetails = await deployments.create(
      entityRef,
      request,
      credentials,
    );
    res.status(202).json(body);
  });

  router.post(`${entityPath}/rollback`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = entityRefFromRequest(req);
    const request = parse(rollbackRequestSchema, req.body);

    const body: DeploymentDetails = await deployments.rollback(
      entityRef,
      request,
      credentials,
    );
    res.status(202).json(body);
  });

  router.get(`${entityPath}/runtime`, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefFromRequest(req);
    const environment = environmentFromQuery(req.query.environment);

    const body: DeploymentRuntime = await deployments.runtime(
      entityRef,
      environment,
    );
    res.json(body);
  });

  router.get(`${entityPath}/dora`, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefFromRequest(req);
    const environment = environmentFromQuery(req.query.environment);
    const days = parseIntegerQuery('days', req.query.days, {
      min: 1,
      max: MAX_DORA_DAYS,
      fallback: DEFAULT_DORA_DAYS,
    });

    const body: DoraMetrics = await deployments.dora(
      entityRef,
      environment,
      days,
    );
    res.json(body);
  });

  router.get(`${entityPath}/environments`, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefFromRequest(req);

    const body: DeploymentEnvironmentsResponse = {
      items: await deployments.listEnvironments(entityRef),
    };
    res.json(body);
  });

  router.delete(`${entityPath}/environments/:environment`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = entityRefFromRequest(req);
    const environment = environmentFromPath(req);

    await deployments.tearDownEnvironment(entityRef, environment, credentials);
    res.status(204).end();
  });

  router.get('/deployments/:id', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const id = deploymentIdFromRequest(req);

    const body: DeploymentDetails = await deployments.get(id);
    res.json(body);
  });

  router.get('/deployments/:id/events', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const id = deploymentIdFromRequest(req);
    const after = parseIntegerQuery('after', req.query.after, {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      fallback: 0,
    });
    const limit = parseIntegerQuery('limit', req.query.limit, {
      min: 1,
      max: MAX_EVENTS_LIMIT,
      fallback: DEFAULT_EVENTS_LIMIT,
    });

    const body: DeploymentEventsResponse = await deployments.events(id, {
      after,
      limit,
    });
    res.json(body);
  });

  router.post('/deployments/:id/cancel', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const id = deploymentIdFromRequest(req);

    const body: DeploymentDetails = await deployments.cancel(id, credentials);
    res.status(202).json(body);
  });

  return router;
}
