import { Scaffolder } from './installedActions';
import { isObject, YamlPath } from './json';
import { Reporter } from './problems';
import { Reference, templateUses } from './references';
import { schemaProperties } from './schemaChecks';
import { suggest } from './suggestions';
import {
  builtinFilterNames,
  offsetOf,
  parseTemplate,
  TemplateNode,
  TemplateSyntaxError,
} from './templateSyntax';

// What the scaffolder puts into the context of step inputs and outputs
// (NunjucksWorkflowRunner): parameters, steps, user, secrets, environment,
// context, and each inside a step with `each`.
const ROOTS = [
  'parameters',
  'steps',
  'user',
  'secrets',
  'environment',
  'context',
  'each',
];

// The Paved Road filters, for a backend that does not list its filters.
const PAVED_ROAD_FILTERS = [
  'parseRepoUrl',
  'parseEntityRef',
  'pick',
  'projectSlug',
];

/** Filters a template may use with this scaffolder: nunjitsu's and the installed ones. */
export function knownFilters(scaffolder: Scaffolder): Set<string> {
  return new Set([
    ...builtinFilterNames(),
    ...(scaffolder.knowsFilters ? scaffolder.filters : PAVED_ROAD_FILTERS),
  ]);
}

/** What expressions of one template are checked against. */
export type ExpressionContext = {
  scaffolder: Scaffolder;
  filters: Set<string>;
  /** Parameter name -> the schemas that define it, on any page. */
  parameterSchemas: Map<string, unknown[]>;
  /** Step id -> its position and action. */
  stepIndex: Map<string, { index: number; action: unknown }>;
  report: Reporter;
};

/** Where an expression is: the step it is in, which steps ran before it. */
export type ExpressionSite = {
  step?: string;
  /** Index of the step the expression is in (steps.length for spec.output). */
  before: number;
  /** Inside a step with `each` (not in `each` itself). */
  hasEach: boolean;
};

/** The `${{ ... }}` around a position of `source`. */
function expressionAt(source: string, offset: number): string {
  const start = source.lastIndexOf('${{', offset);
  const end = source.indexOf('}}', offset);
  return start === -1 || end === -1 ? source : source.slice(start, end + 2);
}

/**
 * Every `${{ }}` of one string value of template.yaml: it parses (with
 * nunjitsu's parser, as the scaffolder renders it), uses known filters, and
 * every variable it reads resolves.
 */
export function checkExpressions(
  value: string,
  path: YamlPath,
  ctx: ExpressionContext,
  site: ExpressionSite,
): void {
  if (!value.includes('${{')) return;
  let root: TemplateNode;
  try {
    root = parseTemplate(value);
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    // The scaffolder passes a value that fails to render on unchanged.
    ctx.report.error(
      path,
      `${e.message} in ${expressionAt(
        value,
        offsetOf(value, e.line, e.column),
      )}`,
      site.step,
    );
    return;
  }
  const { references, filters } = templateUses(root);
  for (const { name, node } of filters) {
    if (!ctx.filters.has(name)) {
      const offset = offsetOf(value, node.line, node.column);
      ctx.report.error(
        path,
        `Unknown template filter "${name}" in ${expressionAt(value, offset)}`,
        site.step,
      );
    }
  }
  for (const ref of references) checkReference(ref, path, ctx, site);
}

/** The first path segment a parameter schema does not define, if any. */
function nestedMissing(
  schemas: unknown[],
  rest: Array<string | number>,
): string | undefined {
  if (!rest.length || rest[0] === '*') return undefined;
  const [head, ...tail] = rest;
  const next: unknown[] = [];
  for (const s of schemas) {
    if (!isObject(s)) return undefined;
    if (typeof head === 'number') {
      if (isObject(s.items)) next.push(s.items);
      else return undefined;
      continue;
    }
    const props = schemaProperties(s);
    if (
      !props.length ||
      (s.additionalProperties !== undefined && s.additionalProperties !== false)
    ) {
      return undefined; // open object: anything goes
    }
    for (const [k, v] of props) if (k === head) next.push(v);
  }
  if (!next.length) return String(head);
  return nestedMissing(next, tail);
}

function checkReference(
  ref: Reference,
  path: YamlPath,
  ctx: ExpressionContext,
  site: ExpressionSite,
): void {
  const error = (message: string) => ctx.report.error(path, message, site.step);
  const { scaffolder } = ctx;
  const shown = [
    ref.root,
    ...ref.path.map(x => (typeof x === 'number' ? `[${x}]` : x)),
  ]
    .join('.')
    .replace(/\.\[/g, '[');
  if (ref.call) {
    if (!scaffolder.globals.has(ref.root) && ref.root !== 'range') {
      error(`unknown function ${ref.root}()`);
    }
    return;
  }
  const [first, second, ...rest] = ref.path;
  switch (ref.root) {
    case 'parameters': {
      if (first === undefined || first === '*') return;
      const names = [...ctx.parameterSchemas.keys()];
      const schemas = ctx.parameterSchemas.get(String(first));
      if (!schemas) {
        error(
          `${shown}: no parameter "${first}" on any page${suggest(
            String(first),
            names,
          )} (parameters: ${names.join(', ') || 'none'})`,
        );
        return;
      }
      const missing = nestedMissing(schemas, ref.path.slice(1));
      if (missing) {
        error(`${shown}: parameter ${first} has no field "${missing}"`);
      }
      return;
    }
    case 'steps': {
      if (first === undefined || first === '*') return;
      const target = ctx.stepIndex.get(String(first));
      if (!target) {
        error(
          `${shown}: no step "${first}"${suggest(
            String(first),
            ctx.stepIndex.keys(),
          )}`,
        );
        return;
      }
      if (target.index >= site.before) {
        error(
          `${shown}: step "${first}" ${
            target.index === site.before ? 'is this step' : 'runs later'
          }; only earlier steps have outputs`,
        );
        return;
      }
      if (second === undefined || second === '*') return;
      if (second !== 'output') {
        error(`${shown}: a step exposes only steps.${first}.output`);
        return;
      }
      const outputName = rest[0];
      if (outputName === undefined || outputName === '*') return;
      const action = scaffolder.actions.get(String(target.action));
      if (!action) return;
      const props = isObject(action.output?.properties)
        ? Object.keys(action.output.properties)
        : [];
      // Actions without an output schema (catalog:register) may output
      // anything; only declared outputs can be checked.
      if (props.length && !props.includes(String(outputName))) {
        error(
          `${shown}: action ${
            target.action
          } has no output "${outputName}"${suggest(
            String(outputName),
            props,
          )} (outputs: ${props.join(', ')})`,
        );
      }
      return;
    }
    case 'user':
      if (first !== undefined && first !== 'entity' && first !== 'ref') {
        error(`${shown}: user has only entity and ref`);
      }
      return;
    case 'environment':
      if (
        first !== undefined &&
        first !== 'parameters' &&
        first !== 'secrets'
      ) {
        error(`${shown}: environment has only parameters and secrets`);
      }
      return;
    case 'context':
      if (
        first !== undefined &&
        !(first === 'task' && (second === undefined || second === 'id'))
      ) {
        error(`${shown}: context has only task.id`);
      }
      return;
    case 'each':
      if (!site.hasEach) {
        error(`${shown}: each is only set inside a step with "each"`);
      } else if (first !== undefined && first !== 'key' && first !== 'value') {
        error(`${shown}: each has only key and value`);
      }
      return;
    case 'secrets':
      return;
    default:
      if (scaffolder.globals.has(ref.root)) return;
      error(
        `${shown}: unknown variable "${ref.root}"${
          ref.root === 'templateInfo' ? ' (not available to step inputs)' : ''
        }${suggest(ref.root, ROOTS)} (available: ${ROOTS.join(', ')})`,
      );
  }
}
