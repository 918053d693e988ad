import { parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';

function isRefOfKind(value: string, kinds: string[]): boolean {
  try {
    const { kind } = parseEntityRef(value);
    return kinds.includes(kind.toLocaleLowerCase('en-US'));
  } catch {
    return false;
  }
}

const ref = (kinds: string[], what: string) =>
  z
    .string()
    .max(255)
    .refine(v => isRefOfKind(v, kinds), {
      message: `must be a full ${what} entity ref (kind:namespace/name)`,
    });

/**
 * @public
 * Body of `POST /api/catalog/paved-road/audit/projects`: one project created
 * from a template. The scaffolder sends it once per task; the task id makes a
 * retried step idempotent.
 */
export const projectAuditRecordRequestSchema = z.object({
  taskId: z.string().min(1).max(255),
  /** The user who ran the template, e.g. `user:default/guest`. */
  createdBy: ref(['user'], 'User'),
  /** The template, e.g. `template:default/kotlin-library`. */
  templateRef: ref(['template'], 'Template'),
  /** The entity the project registered, e.g. `component:default/money-kt`. */
  entityRef: ref(
    ['component', 'resource', 'system', 'api', 'domain'],
    'Component, Resource, System, API or Domain',
  ),
  owner: ref(['group'], 'Group'),
  businessUnit: ref(['group'], 'Group').nullable().optional(),
  /** Checked against the configured cost-center format by the server. */
  costCenter: z.string().min(1).max(64),
  repoUrl: z
    .string()
    .max(2048)
    .refine(v => /^(https?|file|ssh|git):\/\/\S+$/.test(v), {
      message: 'must be an http(s), ssh, git or file URL',
    }),
});

/** @public */
export type ProjectAuditRecordRequest = z.infer<
  typeof projectAuditRecordRequestSchema
>;

/** @public A stored audit record, as `GET …/audit/projects` returns it. */
export interface ProjectAuditRecord {
  taskId: string;
  createdBy: string;
  templateRef: string;
  entityRef: string;
  owner: string;
  businessUnit: string | null;
  costCenter: string;
  repoUrl: string;
  /** ISO time the record was stored. */
  createdAt: string;
}
