import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ProjectRecord } from '@paved-road/plugin-paved-road-common';
import express from 'express';
import Router from 'express-promise-router';
import { AuditStore } from '../database/AuditStore';
import { findProjectRecord } from './projectRecord';
import { canonicalRef } from './refs';

/** `GET /projects/:namespace/:kind/:name`: who created a project, and how. */
export function createProjectsRouter(options: {
  httpAuth: HttpAuthService;
  store: AuditStore;
  /** The entity's template version annotation, as the caller sees it. */
  catalog: CatalogService;
}): express.Router {
  const { httpAuth, store, catalog } = options;
  const router = Router();

  router.get('/projects/:namespace/:kind/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, kind, name } = req.params;
    const entityRef = canonicalRef(`${kind}:${namespace}/${name}`, 'entityRef');

    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    const record: ProjectRecord | undefined = await findProjectRecord(
      store,
      entityRef,
      entity,
    );
    if (!record) {
      throw new NotFoundError(`${entityRef} was not created by the paved road`);
    }
    res.json(record);
  });

  return router;
}
