import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
  COST_CENTER_PATTERN,
  matchesCostCenterPattern,
} from '@paved-road/plugin-paved-road-common';
import { Document, parseAllDocuments } from 'yaml';
import { examples } from './writeCatalogInfo.examples';

const OWNED_KINDS = new Set(['component', 'resource', 'system', 'api']);

/**
 * @public
 * Creates the `paved-road:catalog-info:annotate` action: sets `spec.owner`,
 * the cost center and the business unit on every Component, Resource, System
 * and API in a workspace `catalog-info.yaml`, keeping comments and all other
 * content. Running it twice yields the same file.
 */
export function createWriteCatalogInfoAction(
  options: { costCenterPattern?: RegExp } = {},
) {
  const pattern = options.costCenterPattern ?? COST_CENTER_PATTERN;

  return createTemplateAction({
    id: 'paved-road:catalog-info:annotate',
    description:
      'Writes owner, business unit and cost center into catalog-info.yaml in the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z
            .string({
              description:
                'Path of the descriptor, relative to the workspace. Defaults to catalog-info.yaml.',
            })
            .optional(),
        owner: z =>
          z.string({
            description:
              'Owning Group entity ref written to spec.owner, e.g. group:default/checkout.',
          }),
        businessUnit: z =>
          z.string({
            description:
              'Business-unit Group entity ref, e.g. group:default/payments (usually the output of paved-road:cost-center:resolve).',
          }),
        costCenter: z =>
          z.string({
            description:
              'Cost center, e.g. CC-1001 (usually the output of paved-road:cost-center:resolve).',
          }),
      },
      output: {
        path: z =>
          z.string({
            description: 'Workspace-relative path of the annotated file.',
          }),
        entityRefs: z =>
          z.array(z.string(), {
            description: 'Entity refs of the annotated entities.',
          }),
      },
    },
    // Only the task workspace is touched, which is what a dry run previews,
    // and the edit is idempotent, so there is nothing to skip or checkpoint.
    async handler(ctx) {
      const input = validate(ctx.input, pattern);
      const file = await safeWorkspaceFile(ctx.workspacePath, input.path);

      const source = await fs.readFile(file, 'utf8').catch(error => {
        if (error.code === 'ENOENT') {
          // Also what a task recovered after a restart sees: the scaffolder
          // keeps no workspace, so the rendered files are gone.
          throw new NotFoundError(
            `input.path: ${input.path} does not exist in the workspace. If the backend restarted during this task, the rendered files were lost with it; nothing was published, run the template again.`,
          );
        }
        throw error;
      });
      const { text, entityRefs } = annotate(source, input);
      if (text !== source) {
        await writeAtomically(file, text);
      }

      ctx.logger.info(`Annotated ${entityRefs.join(', ')} in ${input.path}`);
      ctx.output('path', relative(ctx.workspacePath, file));
      ctx.output('entityRefs', entityRefs);
    },
  });
}

type Input = {
  path: string;
  owner: string;
  businessUnit: string;
  costCenter: string;
};

function validate(
  input: Partial<Record<keyof Input, unknown>>,
  pattern: RegExp,
): Input {
  const path = input.path ?? 'catalog-info.yaml';
  if (typeof path !== 'string' || !path.trim()) {
    throw new InputError('input.path must be a non-empty relative path');
  }
  const owner = groupRef(input.owner, 'owner');
  const businessUnit = groupRef(input.businessUnit, 'businessUnit');
  const { costCenter } = input;
  if (
    typeof costCenter !== 'string' ||
    !matchesCostCenterPattern(costCenter, pattern)
  ) {
    throw new InputError(
      `input.costCenter must match the cost center format ${pattern.source}`,
    );
  }
  return { path, owner, businessUnit, costCenter };
}

function groupRef(value: unknown, field: string): string {
  if (typeof value === 'string' && value.trim()) {
    try {
      const ref = parseEntityRef(value.trim(), { defaultKind: 'group' });
      if (ref.kind.toLocaleLowerCase('en-US') === 'group') {
        return value.trim();
      }
    } catch {
      // Reported below with the field name.
    }
  }
  throw new InputError(
    `input.${field} must be a Group entity ref, e.g. group:default/checkout`,
  );
}

// resolveSafeChildPath guards `..` and absolute paths; realpath also catches
// a symlink in the (possibly fetched) skeleton pointing outside.
async function safeWorkspaceFile(workspace: string, path: string) {
  let file: string;
  try {
    file = resolveSafeChildPath(workspace, path);
    const real = await fs.realpath(file).catch(() => file);
    resolveSafeChildPath(await fs.realpath(workspace), real);
  } catch (error) {
    if (error instanceof NotAllowedError) {
      throw new NotAllowedError(
        `input.path ${JSON.stringify(path)} points outside the task workspace`,
      );
    }
    throw error;
  }
  return file;
}

function annotate(
  source: string,
  input: Input,
): { text: string; entityRefs: string[] } {
  const docs = parseAllDocuments(source);
  const list: Document[] = Array.isArray(docs) ? docs : [];
  const broken = list.find(doc => doc.errors.length > 0);
  if (broken) {
    throw new InputError(
      `input.path: ${input.path} is not valid YAML: ${broken.errors[0].message}`,
    );
  }

  const entityRefs: string[] = [];
  for (const doc of list) {
    const kind = doc.get('kind');
    const name = doc.getIn(['metadata', 'name']);
    if (typeof kind !== 'string' || !OWNED_KINDS.has(kind.toLowerCase())) {
      continue;
    }
    if (typeof name !== 'string' || !name) {
      throw new InputError(
        `input.path: a ${kind} in ${input.path} has no metadata.name`,
      );
    }
    doc.setIn(['spec', 'owner'], input.owner);
    doc.setIn(
      ['metadata', 'annotations', ANNOTATION_COST_CENTER],
      input.costCenter,
    );
    doc.setIn(
      ['metadata', 'annotations', ANNOTATION_BUSINESS_UNIT],
      input.businessUnit,
    );
    const namespace = doc.getIn(['metadata', 'namespace']) ?? 'default';
    entityRefs.push(`${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US'));
  }
  if (entityRefs.length === 0) {
    throw new InputError(
      `input.path: ${input.path} holds no Component, Resource, System or API entity`,
    );
  }
  // Stay close to the author's layout: never fold long lines, and write flow
  // lists the way catalog files usually have them (`tags: [java, kotlin]`).
  const text = list
    .map(doc => doc.toString({ lineWidth: 0, flowCollectionPadding: false }))
    .join('');
  return { text, entityRefs };
}

// A crash mid-write must not leave a truncated descriptor behind.
async function writeAtomically(file: string, text: string) {
  const tmp = `${dirname(file)}/.catalog-info.${randomUUID()}.tmp`;
  await fs.writeFile(tmp, text, 'utf8');
  await fs.rename(tmp, file);
}
