import { JsonValue } from '@backstage/types';

/** The part of JSON schema template parameters use. */
export type ParameterSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, ParameterSchema>;
  required?: string[];
  default?: JsonValue;
  enum?: JsonValue[];
  items?: ParameterSchema;
  errorMessage?: string | Record<string, string>;
  allOf?: ParameterSchema[];
  oneOf?: ParameterSchema[];
  anyOf?: ParameterSchema[];
  then?: ParameterSchema;
  else?: ParameterSchema;
  dependencies?: Record<string, ParameterSchema | string[]>;
};

/** One page of a template's form: `spec.parameters` is one or a list. */
export type ParameterStep = ParameterSchema & { title?: string };

/** What a model needs to fill one value of a template. */
export interface ParameterSummary {
  /** Dotted path into `values`, e.g. `deployment.replicas`. */
  name: string;
  title: string | null;
  description: string | null;
  /** `string`, `integer`, `array of string`, `string | null`, … */
  type: string;
  /** Must have a value (given or defaulted) for the template to run. */
  required: boolean;
  /** Only asked for in some cases (a `dependencies`, `oneOf` or `if` branch). */
  conditional: boolean;
  /** Absent when the template has no default. */
  default?: JsonValue;
  enum: JsonValue[] | null;
  /** The title of the form page it is on. */
  step: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The template's form pages, as the scaffolder validates them. */
export function parameterSteps(spec: unknown): ParameterStep[] {
  const parameters = isObject(spec) ? spec.parameters : undefined;
  return [parameters ?? []].flat().filter(isObject) as ParameterStep[];
}

function typeName(schema: ParameterSchema): string {
  const types = [schema.type ?? (schema.properties ? 'object' : 'any')].flat();
  return types
    .map(type =>
      type === 'array' && schema.items
        ? `array of ${typeName(schema.items)}`
        : type,
    )
    .join(' | ');
}

function branchesOf(schema: ParameterSchema): ParameterSchema[] {
  const dependencies = Object.values(schema.dependencies ?? {}).filter(
    (d): d is ParameterSchema => !Array.isArray(d),
  );
  return [
    ...(schema.allOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.then ? [schema.then] : []),
    ...(schema.else ? [schema.else] : []),
    ...dependencies,
  ];
}

function summarize(
  schema: ParameterSchema,
  at: { prefix: string; required: boolean; conditional: boolean; step: string },
  out: ParameterSummary[],
) {
  const visit = (owner: ParameterSchema, conditional: boolean) => {
    for (const [key, child] of Object.entries(owner.properties ?? {})) {
      const name = at.prefix ? `${at.prefix}.${key}` : key;
      if (out.some(p => p.name === name)) continue;
      const required =
        at.required && !conditional && (owner.required ?? []).includes(key);
      const nested = { prefix: name, required, conditional, step: at.step };
      if (child.properties) {
        summarize(child, nested, out);
        continue;
      }
      out.push({
        name,
        title: child.title ?? null,
        description: child.description ?? null,
        type: typeName(child),
        required,
        conditional,
        ...(child.default !== undefined ? { default: child.default } : {}),
        enum: child.enum ?? null,
        step: at.step,
      });
    }
  };
  visit(schema, at.conditional);
  for (const branch of branchesOf(schema)) {
    visit(branch, true);
  }
}

/** Every value the template asks for, read from its own parameters. */
export function summarizeParameters(
  steps: ParameterStep[],
): ParameterSummary[] {
  const out: ParameterSummary[] = [];
  steps.forEach((step, index) =>
    summarize(
      step,
      {
        prefix: '',
        required: true,
        conditional: false,
        step: step.title ?? `Step ${index + 1}`,
      },
      out,
    ),
  );
  return out;
}

function fill(schema: ParameterSchema, value: unknown): unknown {
  if (value === undefined && schema.default !== undefined) {
    return structuredClone(schema.default);
  }
  if (!schema.properties || (value !== undefined && !isObject(value))) {
    return value;
  }
  const filled: Record<string, unknown> = { ...(value ?? {}) };
  for (const [key, child] of Object.entries(schema.properties)) {
    const next = fill(child, filled[key]);
    if (next !== undefined) filled[key] = next;
  }
  // An optional object nobody gave and with no defaults stays absent.
  return value === undefined && Object.keys(filled).length === 0
    ? undefined
    : filled;
}

/** `values` with the template's defaults wherever nothing was given. */
export function applyParameterDefaults(
  steps: ParameterStep[],
  values: Record<string, unknown>,
): Record<string, unknown> {
  return steps.reduce(
    (result, step) =>
      fill({ properties: step.properties ?? {} }, result) as Record<
        string,
        unknown
      >,
    values,
  );
}

/** Required parameters without a value (after defaults), on every page. */
export function missingParameters(
  steps: ParameterStep[],
  values: Record<string, unknown>,
): ParameterSummary[] {
  const valueAt = (name: string) =>
    name
      .split('.')
      .reduce<unknown>(
        (current, key) => (isObject(current) ? current[key] : undefined),
        values,
      );
  return summarizeParameters(steps).filter(
    parameter => parameter.required && valueAt(parameter.name) === undefined,
  );
}

/** Top-level keys the template does not ask for (usually a typo). */
export function unknownParameters(
  steps: ParameterStep[],
  values: Record<string, unknown>,
): string[] {
  const known = new Set(
    summarizeParameters(steps).map(p => p.name.split('.')[0]),
  );
  return Object.keys(values).filter(key => !known.has(key));
}

/** One error of the scaffolder's check of the values (`jsonschema`). */
export type ScaffolderValidationError = {
  property?: string;
  name?: string;
  argument?: unknown;
  message?: string;
  schema?: unknown;
};

/**
 * The scaffolder's 400 on `POST /v2/tasks` as one line per field, with the
 * template's own `errorMessage` where it has one (a regex means nothing to
 * a reader): `name: use 3 to 56 lower-case letters…`, `owner: is required`.
 */
export function describeValidationErrors(
  errors: ScaffolderValidationError[],
): string[] {
  const lines = errors.map(error => {
    const path = (error.property ?? '').replace(/^instance\.?/, '');
    if (error.name === 'required') {
      return `${[path, String(error.argument)]
        .filter(Boolean)
        .join('.')}: is required`;
    }
    const custom = isObject(error.schema)
      ? error.schema.errorMessage
      : undefined;
    const message =
      (isObject(custom) && typeof custom[error.name ?? ''] === 'string'
        ? (custom[error.name ?? ''] as string)
        : undefined) ??
      (typeof custom === 'string' ? custom : undefined) ??
      error.message ??
      'is invalid';
    return `${path || 'values'}: ${message}`;
  });
  return [...new Set(lines)];
}
