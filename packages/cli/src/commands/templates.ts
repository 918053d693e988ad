import { Command } from 'commander';
import { Context } from '../lib/context';
import { parseEntityArg } from '../lib/entityRef';
import { CliError, EXIT } from '../lib/errors';
import { truncate } from '../lib/output';
import { Field, listFields, ParameterStep } from '../lib/parameters';
import { Action, examples } from './shared';

export type CatalogEntity = {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    tags?: string[];
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  relations?: Array<{ type: string; targetRef: string }>;
};

type QueryResponse = {
  items: CatalogEntity[];
  pageInfo?: { nextCursor?: string };
};

/** Every entity matching the catalog filters, page by page. */
export async function queryCatalog(
  ctx: Context,
  filter: string[],
  fields?: string[],
): Promise<CatalogEntity[]> {
  const items: CatalogEntity[] = [];
  let cursor: string | undefined;
  do {
    const page: QueryResponse = await ctx.client.get(
      '/api/catalog/entities/by-query',
      {
        query: cursor
          ? { cursor, fields: fields?.join(','), limit: 500 }
          : {
              filter,
              fields: fields?.join(','),
              limit: 500,
              orderField: 'metadata.name,asc',
            },
      },
    );
    items.push(...page.items);
    cursor = page.pageInfo?.nextCursor;
  } while (cursor);
  return items;
}

export function entityRefOf(entity: CatalogEntity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
}

export type TemplateSchema = {
  ref: string;
  title: string;
  description: string | null;
  steps: ParameterStep[];
};

/** The template's form as the scaffolder serves it; 404 names the template. */
export async function loadTemplateSchema(
  ctx: Context,
  name: string,
): Promise<TemplateSchema> {
  const template = parseEntityArg(name, {
    defaultKind: 'template',
    what: 'template',
  });
  try {
    const schema = await ctx.client.get<{
      title: string;
      description?: string;
      steps: ParameterStep[];
    }>(`/api/scaffolder/v2/templates/${template.path}/parameter-schema`);
    return {
      ref: template.ref,
      title: schema.title,
      description: schema.description ?? null,
      steps: schema.steps,
    };
  } catch (error) {
    throw namingTemplate(ctx, template.ref, error);
  }
}

/** A 404 from a template's API becomes one that names the template. */
export function namingTemplate(
  ctx: Context,
  templateRef: string,
  error: unknown,
): unknown {
  if (error instanceof CliError && error.exitCode === EXIT.notFound) {
    return new CliError(
      `No template ${templateRef} in ${ctx.url}. List them with: paved-road templates list`,
      EXIT.notFound,
    );
  }
  return error;
}

function fieldJson(field: Field) {
  return {
    name: field.name,
    title: field.title,
    description: field.description,
    type: field.type,
    required: field.required,
    conditional: field.conditional,
    hasDefault: field.hasDefault,
    default: field.hasDefault ? field.default : null,
    enum: field.enum,
    rules: field.rules,
  };
}

function requiredness(field: Field): string {
  if (field.required) return 'yes';
  return field.conditional ? 'when shown' : 'no';
}

/** Strings as they are (`""` when empty), anything else as JSON. */
function literal(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return value === '' ? '""' : value;
}

function allowed(field: Field): string {
  if (field.enum) return field.enum.map(literal).join(', ');
  return field.rules ?? '';
}

/** Registers `templates list` and `templates show` (alias `template`); returns the group. */
export function registerTemplateCommands(
  program: Command,
  action: Action,
): Command {
  const templates = program
    .command('templates')
    .alias('template')
    .description('The software templates projects are created from');

  examples(
    templates
      .command('list')
      .description('List the templates the portal offers'),
    ['paved-road templates list', 'paved-road templates list --output json'],
  ).action(
    action(async ctx => {
      const entities = await queryCatalog(
        ctx,
        ['kind=template'],
        [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.description',
          'metadata.tags',
          'spec.type',
          'spec.owner',
        ],
      );
      const items = entities.map(e => ({
        ref: entityRefOf(e),
        name: e.metadata.name,
        title: e.metadata.title ?? e.metadata.name,
        description: e.metadata.description ?? null,
        type: (e.spec?.type as string | undefined) ?? null,
        owner: (e.spec?.owner as string | undefined) ?? null,
        tags: e.metadata.tags ?? [],
      }));
      if (ctx.out.json) return ctx.out.printJson({ items });
      ctx.out.table(
        ['NAME', 'TYPE', 'TITLE', 'DESCRIPTION'],
        items.map(t => [
          t.name,
          t.type,
          t.title,
          truncate(t.description ?? '', 70),
        ]),
      );
      return undefined;
    }),
  );

  examples(
    templates
      .command('show')
      .description(
        "A template's parameters, read from the template itself: types, whether required, defaults and allowed values",
      )
      .argument('<template>', 'template name, or template:namespace/name'),
    [
      'paved-road templates show kotlin-spring-service',
      'paved-road templates show kotlin-library --output json',
    ],
  ).action(
    action(async (ctx, name: string) => {
      const template = await loadTemplateSchema(ctx, name);
      const fields = listFields(template.steps);
      if (ctx.out.json) {
        return ctx.out.printJson({
          ref: template.ref,
          title: template.title,
          description: template.description,
          steps: template.steps.map(step => ({
            title: step.title,
            description: step.description ?? null,
            fields: fields.filter(f => f.step === step.title).map(fieldJson),
          })),
        });
      }
      ctx.out.line(
        `${ctx.out.style('bold', template.title)}  (${template.ref})`,
      );
      if (template.description) ctx.out.line(template.description);
      for (const step of template.steps) {
        ctx.out.line();
        ctx.out.line(ctx.out.style('bold', step.title));
        ctx.out.table(
          ['PARAMETER', 'TYPE', 'REQUIRED', 'DEFAULT', 'ALLOWED'],
          fields
            .filter(f => f.step === step.title)
            .map(f => [
              f.name,
              f.type,
              requiredness(f),
              f.hasDefault ? literal(f.default) : '',
              allowed(f),
            ]),
        );
      }
      ctx.out.line();
      ctx.out.line(
        `Create one with: paved-road create ${
          template.ref.split('/')[1]
        } --set name=… (defaults apply to the rest)`,
      );
      return undefined;
    }),
  );
  return templates;
}
