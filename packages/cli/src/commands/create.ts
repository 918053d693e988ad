import { Command } from 'commander';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'yaml';
import { Context } from '../lib/context';
import { parseEntityArg } from '../lib/entityRef';
import { EXIT, usageError } from '../lib/errors';
import {
  applyAssignments,
  applyDefaults,
  coerceValue,
  Field,
  missingRequired,
  ParameterStep,
  ParameterValues,
  setPath,
  unknownKeys,
  validateValues,
} from '../lib/parameters';
import { cell, duration } from '../lib/output';
import { ask } from '../lib/prompt';
import { CatalogEntity, loadTemplateSchema, TemplateSchema } from './templates';
import { cleanStepError, followTask, StepState, TaskOutput } from './tasks';
import { Action, collect, examples } from './shared';

type CreateOptions = {
  set: string[];
  values?: string;
  dryRun?: boolean;
  templateDir?: string;
  verbose?: boolean;
};

type TemplateFile = { path: string; base64Content: string };

async function readValuesFile(file: string): Promise<ParameterValues> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(file), 'utf8');
  } catch (error) {
    throw usageError(
      `--values ${file}: cannot read it (${
        (error as NodeJS.ErrnoException).code ?? error
      })`,
    );
  }
  let parsed: unknown;
  try {
    parsed = yaml.parse(text);
  } catch (error) {
    throw usageError(
      `--values ${file}: not YAML or JSON (${
        (error as Error).message.split('\n')[0]
      })`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw usageError(
      `--values ${file}: must be a mapping of parameter names to values`,
    );
  }
  return parsed as ParameterValues;
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, full)));
    else if (entry.isFile())
      files.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return files.sort();
}

/** The files beside template.yaml, as the dry-run API takes them. */
async function readTemplateDirectory(dir: string): Promise<TemplateFile[]> {
  const files = await listFiles(dir);
  return Promise.all(
    files
      .filter(file => file !== 'template.yaml')
      .map(async file => ({
        path: file,
        base64Content: (await fs.readFile(path.join(dir, file))).toString(
          'base64',
        ),
      })),
  );
}

/** A template read from a directory on disk (`--template-dir`). */
async function loadLocalTemplate(
  dir: string,
): Promise<{ entity: CatalogEntity; schema: TemplateSchema }> {
  let entity: CatalogEntity;
  try {
    entity = yaml.parse(
      await fs.readFile(path.join(dir, 'template.yaml'), 'utf8'),
    );
  } catch (error) {
    throw usageError(
      `--template-dir ${dir}: no readable template.yaml (${
        (error as Error).message.split('\n')[0]
      })`,
    );
  }
  if (entity?.kind !== 'Template') {
    throw usageError(`--template-dir ${dir}: template.yaml is not a Template`);
  }
  const parameters = [
    entity.spec?.parameters ?? [],
  ].flat() as ParameterStep['schema'][];
  return {
    entity,
    schema: {
      ref: `template:${entity.metadata.namespace ?? 'default'}/${
        entity.metadata.name
      }`,
      title: entity.metadata.title ?? entity.metadata.name,
      description: entity.metadata.description ?? null,
      steps: parameters.map(schema => ({
        title: schema.title ?? 'Please enter the following information',
        description: schema.description,
        schema,
      })),
    },
  };
}

/**
 * Where the template's own files are, for a dry run: beside its
 * template.yaml when the catalog read it from a file on this machine
 * (the embedded default), else wherever `--template-dir` says.
 */
async function templateDirectoryOf(entity: CatalogEntity): Promise<string> {
  const location =
    entity.metadata.annotations?.['backstage.io/managed-by-location'] ?? '';
  const file = location.startsWith('file:')
    ? location.slice('file:'.length)
    : undefined;
  if (file) {
    const filePath = file.startsWith('//')
      ? fileURLToPath(`file:${file}`)
      : file;
    try {
      await fs.access(filePath);
      return path.dirname(filePath);
    } catch {
      // Not on this machine: fall through to the error below.
    }
  }
  throw usageError(
    `--dry-run needs the template's files, and its location (${
      location || 'unknown'
    }) is not a directory on this machine. Point at a checkout of the template with --template-dir <dir>.`,
  );
}

async function askForMissing(
  ctx: Context,
  fields: Field[],
  values: ParameterValues,
) {
  ctx.out.note(
    'The template needs a few more values (Enter leaves one empty):',
  );
  for (const field of fields) {
    const hint = [
      field.description,
      field.enum
        ? `one of: ${field.enum.map(v => cell(v)).join(', ')}`
        : field.rules,
    ].filter(Boolean);
    for (const line of hint)
      ctx.out.note(ctx.out.styleError('dim', `  ${line}`));
    const answer = await ask(
      `  ${field.title ?? field.name} (${field.name}): `,
    );
    if (answer !== '') setPath(values, field.path, coerceValue(field, answer));
  }
}

function describeMissing(fields: Field[]): string[] {
  return [
    ...fields.map(
      f =>
        `${f.name}${f.title ? ` (${f.title}, ${f.type})` : ` (${f.type})`}${
          f.description ? `: ${f.description}` : ''
        }`,
    ),
    'Give them with --set key=value or --values file.yaml, or run in a terminal to be asked.',
  ];
}

/** The repository, entity and clone command a finished task links to. */
export function summarizeOutput(output: TaskOutput | null) {
  const links = (output?.links ?? []).map(l => ({
    title: l.title ?? null,
    url: l.url ?? null,
    entityRef: l.entityRef ?? null,
  }));
  const entityRef = links.find(l => l.entityRef)?.entityRef ?? null;
  const repository =
    links.find(l => l.url && /repo/i.test(l.title ?? ''))?.url ??
    links.find(l => l.url?.endsWith('.git'))?.url ??
    null;
  return {
    entityRef: entityRef?.toLocaleLowerCase('en-US') ?? null,
    repoUrl: repository,
    cloneCommand: repository ? `git clone ${repository}` : null,
    links,
  };
}

async function dryRun(
  ctx: Context,
  template: { entity: CatalogEntity; dir: string; schema: TemplateSchema },
  values: ParameterValues,
): Promise<number> {
  const { entity, dir, schema } = template;
  if (!ctx.out.json)
    ctx.out.line(
      `Dry run of ${schema.title} (${schema.ref}): nothing is published or registered`,
    );
  const body = await ctx.client.post<{
    log: Array<{
      body: { message?: string; stepId?: string; status?: string };
    }>;
    directoryContents: Array<{ path: string }>;
    output: TaskOutput;
    steps: Array<{ id: string; name: string }>;
  }>('/api/scaffolder/v2/dry-run', {
    body: {
      template: {
        apiVersion: entity.apiVersion,
        kind: entity.kind,
        metadata: {
          name: entity.metadata.name,
          namespace: entity.metadata.namespace,
          title: entity.metadata.title,
          description: entity.metadata.description,
          annotations: entity.metadata.annotations,
        },
        spec: entity.spec,
      },
      values,
      secrets: {},
      directoryContents: await readTemplateDirectory(dir),
    },
    timeoutMs: 5 * 60_000,
  });
  const steps: StepState[] = body.steps.map(s => ({
    id: s.id,
    name: s.name,
    status: 'pending',
  }));
  for (const { body: event } of body.log) {
    const step = steps.find(s => s.id === event.stepId);
    if (!step || !event.status) continue;
    step.status = event.status as StepState['status'];
    if (event.status === 'failed' && event.message)
      step.message = cleanStepError(event.message);
  }
  const failed = steps.find(s => s.status === 'failed');
  const files = body.directoryContents.map(f => f.path).sort();
  if (ctx.out.json) {
    ctx.out.printJson({
      dryRun: true,
      template: schema.ref,
      status: failed ? 'failed' : 'completed',
      values,
      steps,
      failedStep: failed ?? null,
      files,
      output: body.output ?? null,
    });
  } else {
    const marks: Partial<Record<StepState['status'], string>> = {
      completed: ctx.out.style('green', '✔'),
      failed: ctx.out.style('red', '✖'),
    };
    for (const step of steps) {
      const mark = marks[step.status] ?? ctx.out.style('dim', '-');
      ctx.out.line(
        `  ${mark} ${step.name}${
          step.status === 'skipped' ? ctx.out.style('dim', ' (skipped)') : ''
        }`,
      );
      if (step.message)
        ctx.out.line(`      ${ctx.out.style('red', step.message)}`);
    }
    ctx.out.line(
      `${files.length} files would be written${
        files.length ? `, e.g. ${files.slice(0, 5).join(', ')}` : ''
      }`,
    );
    ctx.out.line(
      failed
        ? `✖ The dry run failed at "${failed.name}"`
        : '✔ The dry run passed',
    );
  }
  return failed ? EXIT.failed : EXIT.ok;
}

export function registerCreateCommand(program: Command, action: Action) {
  examples(
    program
      .command('create')
      .summary('Create a project from a template, following each step')
      .description(
        "Create a project from a template: the template's defaults fill what you do not set, missing required values are asked for in a terminal, values are checked against the template's schema before anything is sent, and each step is shown as it runs. Exits 0 only when the task completed.",
      )
      .argument('<template>', 'template name, or template:namespace/name')
      .option(
        '--set <key=value>',
        'a parameter value; nested ones as deployment.replicas=3; lists comma separated (repeatable)',
        collect,
        [],
      )
      .option(
        '--values <file>',
        'parameter values from a YAML or JSON file (--set wins)',
      )
      .option(
        '--dry-run',
        'render the template in the portal without publishing or registering anything',
      )
      .option(
        '--template-dir <dir>',
        "the template's directory on disk (for --dry-run, or to try a template before registering it)",
      )
      .option('--verbose', "show every step's log lines"),
    [
      'paved-road create kotlin-spring-service --set name=orders-api --set owner=group:default/checkout --set description="Takes orders"',
      'paved-road create kotlin-library --values library.yaml',
      'paved-road create kotlin-spring-service --values service.yaml --set deployment.replicas=3 --set deployment.regions=eu-west-1,eu-central-1',
      'paved-road create kotlin-spring-service --values service.yaml --dry-run',
      'paved-road create kotlin-spring-service --values service.yaml --output json | jq .repoUrl',
    ],
  ).action(
    action(async (ctx, templateName: string, options: CreateOptions) => {
      const local = options.templateDir
        ? {
            ...(await loadLocalTemplate(options.templateDir)),
            dir: options.templateDir,
          }
        : undefined;
      const schema =
        local?.schema ?? (await loadTemplateSchema(ctx, templateName));
      if (
        local &&
        parseEntityArg(templateName, {
          defaultKind: 'template',
          what: 'template',
        }).ref !== schema.ref
      ) {
        throw usageError(
          `--template-dir ${options.templateDir} holds ${schema.ref}, not ${templateName}`,
        );
      }
      const steps = schema.steps;

      let values: ParameterValues = options.values
        ? await readValuesFile(options.values)
        : {};
      const unknown = unknownKeys(steps, values);
      if (unknown.length) {
        throw usageError(
          `--values: the template has no parameter ${unknown
            .map(k => `'${k}'`)
            .join(', ')}`,
        );
      }
      values = applyDefaults(
        steps,
        applyAssignments(steps, values, options.set),
      );

      let missing = missingRequired(steps, values);
      if (missing.length && ctx.out.interactive) {
        await askForMissing(ctx, missing, values);
        values = applyDefaults(steps, values);
        missing = missingRequired(steps, values);
      }
      if (missing.length) {
        throw usageError(
          `missing required value${missing.length > 1 ? 's' : ''}: ${missing
            .map(f => f.name)
            .join(', ')}`,
          describeMissing(missing),
        );
      }
      const problems = validateValues(steps, values);
      if (problems.length) {
        throw usageError(
          `invalid value${problems.length > 1 ? 's' : ''} for ${schema.ref}`,
          problems,
        );
      }

      if (options.dryRun) {
        const entity =
          local?.entity ??
          (await ctx.client.get<CatalogEntity>(
            `/api/catalog/entities/by-name/${schema.ref.replace(':', '/')}`,
          ));
        const dir = local?.dir ?? (await templateDirectoryOf(entity));
        return dryRun(ctx, { entity, dir, schema }, values);
      }
      if (local) {
        throw usageError(
          '--template-dir runs only with --dry-run: register the template to create projects from it',
        );
      }

      const { id } = await ctx.client.post<{ id: string }>(
        '/api/scaffolder/v2/tasks',
        {
          body: { templateRef: schema.ref, values },
        },
      );
      const started = Date.now();
      ctx.out.progress(
        `Creating from ${schema.title} (${schema.ref}), task ${id}`,
      );
      const {
        task,
        steps: stepStates,
        output,
      } = await followTask(ctx, id, { verbose: options.verbose });
      const summary = summarizeOutput(output);
      const failed = stepStates.find(s => s.status === 'failed');
      const result = {
        taskId: id,
        template: schema.ref,
        status: task.status,
        values,
        steps: stepStates,
        failedStep: failed ?? null,
        ...summary,
      };
      if (ctx.out.json) {
        ctx.out.printJson(result);
      } else if (task.status === 'completed') {
        ctx.out.line();
        ctx.out.line(
          ctx.out.style(
            'green',
            `✔ Created ${summary.entityRef ?? 'the project'} in ${duration(
              (Date.now() - started) / 1000,
            )}`,
          ),
        );
        ctx.out.fields([
          ['Repository', summary.repoUrl],
          ['Entity', summary.entityRef],
          ['Clone', summary.cloneCommand],
        ]);
      } else {
        ctx.out.line();
        ctx.out.line(
          ctx.out.style(
            'red',
            failed
              ? `✖ Task ${id} failed at "${failed.name}": ${
                  failed.message?.split('\n')[0] ?? ''
                }`
              : `✖ Task ${id} ended ${task.status}`,
          ),
        );
        ctx.out.line(`Its full log: paved-road tasks logs ${id}`);
      }
      return task.status === 'completed' ? EXIT.ok : EXIT.failed;
    }),
  );
}
