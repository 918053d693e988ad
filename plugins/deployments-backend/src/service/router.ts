import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  DeploymentListResponse,
  DeploymentSettingsVersion,
  DeploymentSettingsVersionListResponse,
  ProjectState,
  SettingsErrorListResponse,
  UpdateDeploymentSettingsResponse,
} from '@paved-road/plugin-deployments-common';
import {
  deploymentSettingsSchema,
  entityRefFromPathParams,
} from '@paved-road/plugin-paved-road-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DeploymentsStore } from '../database/DeploymentsStore';
import { formatZodIssue } from '../repository/settingsFile';
import { SettingsService } from './SettingsService';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** Settings are a few hundred bytes; anything near this is not a request. */
export const BODY_LIMIT = '64kb';

const updateSettingsRequestSchema = z
  .object({
    settings: deploymentSettingsSchema,
    baseVersion: z.number().int().min(1),
    message: z.string().trim().min(1).max(2000),
  })
  .strict();

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
  httpAuth: HttpAuthService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, settings, httpAuth } = options;
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
    const parsed = updateSettingsRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new InputError(formatZodIssue(parsed.error.issues[0]));
    }

    const body: UpdateDeploymentSettingsResponse =
      await settings.updateSettings(entityRef, parsed.data, credentials);
    res.status(body.mode === 'commit' ? 201 : 202).json(body);
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

  return router;
}
