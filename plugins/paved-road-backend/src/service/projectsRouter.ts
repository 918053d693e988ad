import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ProjectRecord,
  projectCreatedDetailsSchema,
} from '@paved-road/plugin-paved-road-common';
import express from 'express';
import Router from 'express-promise-router';
import { AuditStore } from '../database/AuditStore';
import { canonicalRef } from './refs';

/** `GET /projects/:namespace/:kind/:name`: who created a project, and how. */
export function createProjectsRouter(options: {
  httpAuth: HttpAuthService;
  store: AuditStore;
}): express.Router {
  const { httpAuth, store } = options;
  const router = Router();

  router.get('/projects/:namespace/:kind/:name', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { namespace, kind, name } = req.params;
    const entityRef = canonicalRef(`${kind}:${namespace}/${name}`, 'entityRef');

    const { items } = await store.list(
      { entityRef, action: 'project.created', outcome: 'succeeded' },
      { limit: 1 },
    );
    const event = items[0];
    const details = event
      ? projectCreatedDetailsSchema.safeParse(event.details)
      : undefined;
    if (!event || !details?.success) {
      throw new NotFoundError(`${entityRef} was not created by the paved road`);
    }
    const record: ProjectRecord = {
      entityRef,
      createdBy: event.actor,
      createdAt: event.occurredAt,
      templateRef: details.data.templateRef,
      templateVersion: details.data.templateVersion ?? null,
      repoUrl: details.data.repoUrl,
      taskId: details.data.taskId,
    };
    res.json(record);
  });

  return router;
}
