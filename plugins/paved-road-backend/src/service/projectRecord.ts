import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_TEMPLATE_VERSION,
  ProjectRecord,
  projectCreatedDetailsSchema,
} from '@paved-road/plugin-paved-road-common';
import { AuditStore } from '../database/AuditStore';

/**
 * Who created a project from which template, read from its
 * `project.created` audit event; undefined for an entity the paved road
 * did not create. `GET /projects/...` and the `get-project` action.
 * The template version is the entity's `paved-road.io/template-version`
 * when the caller could read the entity (what the project is on now),
 * else the version it was created from.
 */
export async function findProjectRecord(
  store: AuditStore,
  entityRef: string,
  entity?: Entity,
): Promise<ProjectRecord | undefined> {
  const { items } = await store.list(
    { entityRef, action: 'project.created', outcome: 'succeeded' },
    { limit: 1 },
  );
  const event = items[0];
  const details = event
    ? projectCreatedDetailsSchema.safeParse(event.details)
    : undefined;
  if (!event || !details?.success) {
    return undefined;
  }
  return {
    entityRef,
    createdBy: event.actor,
    createdAt: event.occurredAt,
    templateRef: details.data.templateRef,
    templateVersion:
      entity?.metadata.annotations?.[ANNOTATION_TEMPLATE_VERSION] ??
      details.data.templateVersion ??
      null,
    repoUrl: details.data.repoUrl,
    taskId: details.data.taskId,
  };
}
