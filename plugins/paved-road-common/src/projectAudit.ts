import { parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';

function isRefOfKind(value: string, kind: string): boolean {
  try {
    return parseEntityRef(value).kind.toLocaleLowerCase('en-US') === kind;
  } catch {
    return false;
  }
}

/**
 * @public
 * `details` of a `project.created` audit event, as the scaffolder's
 * `paved-road:project:record` action writes them. The event's `actor` is the
 * user who ran the template and its `entityRef` the registered entity.
 */
export const projectCreatedDetailsSchema = z.object({
  /** The scaffolder task; the event id is derived from it. */
  taskId: z.string().min(1).max(255),
  /** The template, e.g. `template:default/kotlin-library`. */
  templateRef: z
    .string()
    .max(255)
    .refine(v => isRefOfKind(v, 'template'), {
      message: 'must be a full Template entity ref (template:namespace/name)',
    }),
  /** The template's version when it ran, if it declares one. */
  templateVersion: z.string().max(255).nullable().optional(),
  repoUrl: z
    .string()
    .max(2048)
    .refine(v => /^(https?|file|ssh|git):\/\/\S+$/.test(v), {
      message: 'must be an http(s), ssh, git or file URL',
    }),
  /** The template's answers, without anything under `secrets`. */
  parameters: z.record(z.string(), z.unknown()).default({}),
});

/** @public */
export type ProjectCreatedDetails = z.infer<typeof projectCreatedDetailsSchema>;

/**
 * @public
 * A project the paved road created, derived from its `project.created`
 * event: `GET /api/paved-road/projects/:namespace/:kind/:name`.
 */
export interface ProjectRecord {
  entityRef: string;
  /** The user who ran the template. */
  createdBy: string;
  /** ISO time of creation. */
  createdAt: string;
  templateRef: string;
  templateVersion: string | null;
  repoUrl: string;
  taskId: string;
}
