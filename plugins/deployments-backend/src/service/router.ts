import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  DeploymentListResponse,
  DeploymentSettingsVersion,
  DeploymentSettingsVersionListResponse,
} from '@paved-road/plugin-deployments-common';
import { entityRefFromPathParams } from '@paved-road/plugin-paved-road-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { DeploymentsStore } from '../database/DeploymentsStore';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

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
  httpAuth: HttpAuthService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, httpAuth } = options;
  const router = Router();
  router.use(express.json());

  // Opened to unauthenticated callers by an auth policy in plugin.ts.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
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

    const latest = await store.getLatestSettings(entityRef);
    if (!latest) {
      throw new NotFoundError(`No deployment settings for ${entityRef}`);
    }
    const body: DeploymentSettingsVersion = latest;
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

  return router;
}
