import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  entityRefFromPathParams,
  normalizeEntityRef,
} from '@paved-road/plugin-paved-road-common';
import {
  batchUpgradeRequestSchema,
  upgradeRequestSchema,
} from '@paved-road/plugin-templates-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { parse } from './requests';
import { UpgradeService } from './UpgradeService';

/** Answers are a few values; anything near this is not a request. */
const BODY_LIMIT = '64kb';

function entityRefOf(req: Request): string {
  const ref = entityRefFromPathParams(req.params);
  if (!ref) {
    throw new InputError(
      'The path must name an entity: /:namespace/:kind/:name',
    );
  }
  return ref;
}

function templateRefOf(req: Request): string {
  const ref = entityRefFromPathParams({ ...req.params, kind: 'template' });
  if (!ref) {
    throw new InputError('The path must name a template: /:namespace/:name');
  }
  return ref;
}

function idOf(req: Request): string {
  const { id } = req.params;
  if (!/^[0-9a-f-]{36}$/.test(id)) {
    throw new InputError('id must be an upgrade id');
  }
  return id;
}

/** The upgrade routes of `/api/templates`. */
export async function createUpgradeRouter(options: {
  upgrades: UpgradeService;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const { upgrades, httpAuth } = options;
  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }));

  router.get('/projects/:namespace/:kind/:name/upgrade', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await upgrades.getProjectUpgrade(entityRefOf(req), credentials));
  });

  router.post('/projects/:namespace/:kind/:name/upgrade', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = entityRefOf(req);
    const body = parse(upgradeRequestSchema, req.body);
    const { job, created } = await upgrades.requestUpgrade(
      entityRef,
      body,
      credentials,
    );
    res
      .status(created ? 202 : 200)
      .location(`upgrades/${job.id}`)
      .json({ job });
  });

  router.get('/upgrades/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json({ job: await upgrades.getJob(idOf(req), credentials) });
  });

  router.get('/upgrades/:id/diff', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await upgrades.getUpgradeDiff(idOf(req), credentials));
  });

  router.post('/upgrades/:id/merge', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({ job: await upgrades.mergeUpgrade(idOf(req), credentials) });
  });

  router.get('/fleet/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await upgrades.getFleet(templateRefOf(req), credentials));
  });

  router.post('/fleet/:namespace/:name/upgrades', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parse(batchUpgradeRequestSchema, req.body);
    const entityRefs = body.entityRefs?.map((ref, i) => {
      const normalized = normalizeEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      if (!normalized)
        throw new InputError(`entityRefs.${i}: not an entity ref`);
      return normalized;
    });
    const batch = await upgrades.requestBatch(
      templateRefOf(req),
      { toVersion: body.toVersion, entityRefs },
      credentials,
    );
    res.status(202).location(`batches/${batch.id}`).json({ batch });
  });

  router.get('/batches/:id', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ batch: await upgrades.getBatch(idOf(req)) });
  });

  return router;
}
