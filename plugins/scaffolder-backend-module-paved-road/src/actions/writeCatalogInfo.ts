import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import {
  AuthService,
  resolveSafeChildPath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
  ANNOTATION_TEMPLATE_VERSION,
  COST_CENTER_PATTERN,
  matchesCostCenterPattern,
} from '@paved-road/plugin-paved-road-common';
import { Document, parseAllDocuments, stringify } from 'yaml';
import {
  resolveTemplateVersion,
  templateRefOf,
  templateSecretPaths,
  withoutSecrets,
} from './templateProvenance';
import { examples } from './writeCatalogInfo.examples';

/** Where a project keeps the template and answers it was created from. */
export const ANSWERS_FILE = '.paved-road/answers.yaml';

const ANNOTATION_SOURCE_TEMPLATE = 'backstage.io/source-template';

const OWNED_KINDS = new Set(['component', 'resource', 'system', 'api']);

/**
 * @public
 * Creates the `paved-road:catalog-info:annotate` action: sets `spec.owner`,
 * the cost center and the business unit on every Component, Resource, System
 * and API in a workspace `catalog-info.yaml`, keeping comments and all other
 * content; with a template behind the task, also the template's version,
 * and with `parameters` the answers file `.paved-road/answers.yaml`.
 * Running it twice yields the same files.
 */
export function createWriteCatalogInfoAction(
  options: {
    costCenterPattern?: RegExp;
    /** Reads a remote template's directory when it declares no version. */
    reader?: UrlReaderService;
    /** Read the template's form, to leave its password fields out. */
    catalog?: CatalogService;
    auth?: AuthService;
  } = {},
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
        parameters: z =>
          z
            .record(z.string(), z.unknown(), {
              description: `The answers the user gave (pass \${{ parameters }}), written with the template and its version to ${ANSWERS_FILE}. Anything under a \`secrets\` key, any value equal to a task secret and any password field of the template are left out.`,
            })
            .optional(),
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
        templateVersion: z =>
          z
            .string({
              description: `The template's version written to ${ANNOTATION_TEMPLATE_VERSION}: its backstage.io/template-version, else sha256: and the hash of its directory. Not set when the task has no template.`,
            })
            .optional(),
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
      const templateRef = templateRefOf(ctx.templateInfo);
      const templateVersion = templateRef
        ? await resolveTemplateVersion(ctx.templateInfo, options.reader)
        : undefined;
      const { text, entityRefs } = annotate(source, input, {
        templateRef,
        templateVersion,
      });
      if (text !== source) {
        await writeAtomically(file, text);
      }
      if (templateRef && ctx.input.parameters) {
        const answers = withoutSecrets(
          ctx.input.parameters as JsonObject,
          Object.values(ctx.secrets ?? {}),
          await templateSecretPaths(ctx.templateInfo, options),
        );
        // The directory first: a skeleton's .paved-road symlinked outside
        // the workspace is refused before anything is created through it.
        const what = `The answers file ${ANSWERS_FILE}`;
        await safeWorkspaceFile(ctx.workspacePath, dirname(ANSWERS_FILE), what);
        const answersFile = await safeWorkspaceFile(
          ctx.workspacePath,
          ANSWERS_FILE,
          what,
        );
        await fs.mkdir(dirname(answersFile), { recursive: true });
        await writeAtomically(
          answersFile,
          answersText(templateRef, templateVersion, answers),
        );
      }

      ctx.logger.info(`Annotated ${entityRefs.join(', ')} in ${input.path}`);
      ctx.output('path', relative(ctx.workspacePath, file));
      ctx.output('entityRefs', entityRefs);
      if (templateVersion) {
        ctx.output('templateVersion', templateVersion);
      }
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
async function safeWorkspaceFile(
  workspace: string,
  path: string,
  what = `input.path ${JSON.stringify(path)}`,
) {
  let file: string;
  try {
    file = resolveSafeChildPath(workspace, path);
    const real = await fs.realpath(file).catch(() => file);
    resolveSafeChildPath(await fs.realpath(workspace), real);
  } catch (error) {
    if (error instanceof NotAllowedError) {
      throw new NotAllowedError(`${what} points outside the task workspace`);
    }
    throw error;
  }
  return file;
}

function annotate(
  source: string,
  input: Input,
  template: { templateRef?: string; templateVersion?: string },
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
    // The skeleton usually names its template already; never override it.
    if (
      template.templateRef &&
      !doc.hasIn(['metadata', 'annotations', ANNOTATION_SOURCE_TEMPLATE])
    ) {
      doc.setIn(
        ['metadata', 'annotations', ANNOTATION_SOURCE_TEMPLATE],
        template.templateRef,
      );
    }
    if (template.templateVersion) {
      doc.setIn(
        ['metadata', 'annotations', ANNOTATION_TEMPLATE_VERSION],
        template.templateVersion,
      );
    }
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

/** `.paved-road/answers.yaml`: what an upgrade renders the template with. */
function answersText(
  template: string,
  version: string | undefined,
  answers: JsonObject,
): string {
  return `# The template and answers this project was created from (secrets left
# out). Paved Road upgrades render the template again with these answers;
# keep the file.
${stringify(
  { template, version: version ?? null, answers },
  { lineWidth: 0 },
)}`;
}

// A crash mid-write must not leave a truncated file behind.
async function writeAtomically(file: string, text: string) {
  const tmp = `${dirname(file)}/.paved-road.${randomUUID()}.tmp`;
  await fs.writeFile(tmp, text, 'utf8');
  await fs.rename(tmp, file);
}
