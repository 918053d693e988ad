import fs from 'node:fs';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import YAML from 'yaml';
import {
  checkExpressions,
  ExpressionContext,
  knownFilters,
} from './expressionChecks';
import { Scaffolder } from './installedActions';
import { isObject, JsonObject, walkStrings, YamlPath } from './json';
import { createReporter, Problem, Reporter } from './problems';
import { checkParameterPage, schemaProperties } from './schemaChecks';
import { checkSkeleton, FETCH_ACTIONS } from './skeletonChecks';
import { checkStep, stepId } from './stepChecks';

export type ValidationResult = { file: string; problems: Problem[] };

/** The entity: a v1beta3 Template with a name, a type and (ideally) an owner. */
async function checkEntity(entity: JsonObject, { error, warn }: Reporter) {
  if (entity.apiVersion !== 'scaffolder.backstage.io/v1beta3') {
    error(
      ['apiVersion'],
      `must be scaffolder.backstage.io/v1beta3, got ${JSON.stringify(
        entity.apiVersion,
      )}`,
    );
  }
  if (entity.kind !== 'Template') {
    error(['kind'], `must be Template, got ${JSON.stringify(entity.kind)}`);
  }
  const metadata = isObject(entity.metadata) ? entity.metadata : {};
  const name = metadata.name;
  if (
    typeof name !== 'string' ||
    !/^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/.test(name)
  ) {
    error(
      ['metadata', 'name'],
      'must be 1-63 letters, digits, ".", "_" or "-", starting and ending with a letter or digit',
    );
  }
  if (!metadata.title) {
    warn(['metadata', 'title'], 'no title: the create page shows the name');
  }
  if (!metadata.description) {
    warn(
      ['metadata', 'description'],
      'no description: the create page card is empty',
    );
  }
  if (!isObject(entity.spec)) error(['spec'], 'missing');
  const spec = isObject(entity.spec) ? entity.spec : {};
  if (typeof spec.type !== 'string' || !spec.type) {
    error(['spec', 'type'], 'missing (e.g. service, library)');
  }
  if (typeof spec.owner !== 'string' || !spec.owner) {
    warn(['spec', 'owner'], 'no owner: who maintains this template?');
  }
  try {
    // The same check the scaffolder runs on POST /v2/dry-run.
    const template = entity as Parameters<
      typeof templateEntityV1beta3Validator.check
    >[0];
    if (!(await templateEntityV1beta3Validator.check(template))) {
      error([], 'not a valid Template entity (the scaffolder would refuse it)');
    }
  } catch (e) {
    error([], `not a valid Template entity: ${(e as Error).message}`);
  }
}

/** Parameter pages; returns parameter name -> the schemas that define it. */
function checkParameters(
  parameters: unknown,
  report: Reporter,
): Map<string, unknown[]> {
  let pages: unknown[] = isObject(parameters) ? [parameters] : [];
  if (Array.isArray(parameters)) pages = parameters;
  const pagePath = (i: number): YamlPath =>
    Array.isArray(parameters)
      ? ['spec', 'parameters', i]
      : ['spec', 'parameters'];
  if (parameters !== undefined && !pages.length) {
    report.error(
      ['spec', 'parameters'],
      'must be a schema or a list of schemas',
    );
  }
  const parameterSchemas = new Map<string, unknown[]>();
  pages.forEach((page: unknown, i) => {
    if (!isObject(page)) {
      report.error(
        pagePath(i),
        'a parameter page must be a JSON schema object',
      );
      return;
    }
    checkParameterPage(page, pagePath(i), report);
    for (const [key, schema] of schemaProperties(page)) {
      parameterSchemas.set(key, [...(parameterSchemas.get(key) ?? []), schema]);
    }
  });
  return parameterSchemas;
}

/** Checks one template.yaml against the installed actions of `scaffolder`. */
export async function validateTemplate(
  file: string,
  scaffolder: Scaffolder,
): Promise<ValidationResult> {
  const problems: Problem[] = [];
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({
      severity: 'error',
      file,
      field: '(file)',
      message: `cannot read: ${(e as Error).message}`,
    });
    return { file, problems };
  }
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(source, { lineCounter });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  const report = createReporter(file, doc, lineCounter, problems);
  const { error } = report;

  if (!doc || !Array.isArray(docs) || docs.length !== 1) {
    error(
      [],
      `expected exactly one YAML document, found ${
        Array.isArray(docs) ? docs.length : 0
      }`,
    );
    return { file, problems };
  }
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      problems.push({
        severity: 'error',
        file,
        line,
        column: col,
        field: '(yaml)',
        message: e.message.split('\n')[0],
      });
    }
    return { file, problems };
  }
  const entity: unknown = doc.toJS();
  if (!isObject(entity)) {
    error([], 'the document is not a mapping');
    return { file, problems };
  }
  await checkEntity(entity, report);
  const spec = isObject(entity.spec) ? entity.spec : {};
  const parameterSchemas = checkParameters(spec.parameters, report);

  // Steps.
  if (!Array.isArray(spec.steps)) {
    error(['spec', 'steps'], 'must be a list of steps');
  }
  const steps: unknown[] = Array.isArray(spec.steps) ? spec.steps : [];
  const filters = knownFilters(scaffolder);
  const seen = new Map<string, number>();
  steps.forEach((s, i) => {
    const stepPath = ['spec', 'steps', i];
    const step = checkStep(s, stepPath, seen, scaffolder, report);
    if (step && FETCH_ACTIONS.includes(step.action) && isObject(step.input)) {
      checkSkeleton(
        file,
        step as typeof step & { input: JsonObject },
        stepPath,
        stepId(step),
        filters,
        report,
      );
    }
  });

  // Expressions in steps and output.
  const stepIndex: ExpressionContext['stepIndex'] = new Map();
  steps.forEach((s, i) => {
    const id = isObject(s) ? stepId(s) : undefined;
    if (isObject(s) && id && !stepIndex.has(id)) {
      stepIndex.set(id, { index: i, action: s.action });
    }
  });
  const ctx: ExpressionContext = {
    scaffolder,
    filters,
    parameterSchemas,
    stepIndex,
    report,
  };
  steps.forEach((step, i) => {
    if (!isObject(step)) return;
    for (const key of ['input', 'if', 'each']) {
      if (step[key] === undefined) continue;
      walkStrings(step[key], ['spec', 'steps', i, key], (value, p) =>
        checkExpressions(value, p, ctx, {
          step: stepId(step),
          before: i,
          hasEach: step.each !== undefined && key !== 'each',
        }),
      );
    }
  });
  if (spec.output !== undefined) {
    walkStrings(spec.output, ['spec', 'output'], (value, p) =>
      checkExpressions(value, p, ctx, { before: steps.length, hasEach: false }),
    );
    const links = isObject(spec.output) ? spec.output.links : undefined;
    (Array.isArray(links) ? links : []).forEach((link: unknown, i) => {
      if (!isObject(link) || (!link.url && !link.entityRef)) {
        error(['spec', 'output', 'links', i], 'a link needs url or entityRef');
      }
    });
  }
  problems.sort(
    (a, b) =>
      (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  return { file, problems };
}

/** Validates each file in turn. */
export async function validateFiles(
  files: string[],
  scaffolder: Scaffolder,
): Promise<ValidationResult[]> {
  const results: ValidationResult[] = [];
  for (const file of files) {
    results.push(await validateTemplate(file, scaffolder));
  }
  return results;
}
