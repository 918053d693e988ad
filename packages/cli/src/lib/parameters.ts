import Ajv, { ErrorObject } from 'ajv';
import addErrors from 'ajv-errors';
import addFormats from 'ajv-formats';
import { usageError } from './errors';

/**
 * The part of JSON schema a template's parameters use. The form, the
 * scaffolder's own check and this CLI all read the same schema, so nothing
 * here knows any particular template.
 */
export type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  errorMessage?: string | Record<string, string>;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  then?: JsonSchema;
  else?: JsonSchema;
  dependencies?: Record<string, JsonSchema | string[]>;
  [keyword: string]: unknown;
};

/** One page of the form: `GET /api/scaffolder/v2/templates/…/parameter-schema`. */
export type ParameterStep = {
  title: string;
  description?: string;
  schema: JsonSchema;
};

export type ParameterValues = Record<string, unknown>;

/** One value the template asks for; nested objects are flattened to `a.b`. */
export type Field = {
  /** Dotted path, e.g. `deployment.replicas`. */
  name: string;
  path: string[];
  title: string | null;
  description: string | null;
  /** `string`, `integer`, `array of string`, `string | null`, … */
  type: string;
  /** Must be given (or defaulted) for the template to run. */
  required: boolean;
  /** Only asked for in some cases (a `dependencies`, `if`/`then` or `oneOf` branch). */
  conditional: boolean;
  hasDefault: boolean;
  default?: unknown;
  /** Allowed values, when the schema lists them. */
  enum: unknown[] | null;
  /** The other rules in words: a range, a length, the pattern's message. */
  rules: string | null;
  /** The page of the form it is on. */
  step: string;
  schema: JsonSchema;
};

function typeOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  return [];
}

function describeType(schema: JsonSchema): string {
  const types = typeOf(schema);
  if (types.length === 0) return 'any';
  return types
    .map(t =>
      t === 'array' && schema.items
        ? `array of ${describeType(schema.items)}`
        : t,
    )
    .join(' | ');
}

function isObjectSchema(schema: JsonSchema): boolean {
  return typeOf(schema).includes('object') && !!schema.properties;
}

/** Subschemas whose properties apply only in some cases. */
function conditionalBranches(schema: JsonSchema): JsonSchema[] {
  const branches: JsonSchema[] = [
    ...(schema.allOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.then ? [schema.then] : []),
    ...(schema.else ? [schema.else] : []),
  ];
  for (const dependency of Object.values(schema.dependencies ?? {})) {
    if (!Array.isArray(dependency)) branches.push(dependency);
  }
  return branches.flatMap(b => [b, ...conditionalBranches(b)]);
}

/** `1..50`, `at most 200 characters`, `at least 1 items`. */
function range(min: number | undefined, max: number | undefined, unit = '') {
  const suffix = unit ? ` ${unit}` : '';
  if (min !== undefined && max !== undefined) return `${min}..${max}${suffix}`;
  if (max !== undefined) return `at most ${max}${suffix}`;
  if (min !== undefined) return `at least ${min}${suffix}`;
  return undefined;
}

function describeRules(schema: JsonSchema): string | null {
  const custom =
    typeof schema.errorMessage === 'object'
      ? schema.errorMessage.pattern
      : undefined;
  const rules = [
    range(schema.minimum, schema.maximum),
    range(schema.minLength, schema.maxLength, 'characters'),
    range(schema.minItems, schema.maxItems, 'items'),
  ].filter((rule): rule is string => rule !== undefined);
  if (schema.items?.pattern) {
    const itemMessage =
      typeof schema.items.errorMessage === 'object'
        ? schema.items.errorMessage.pattern
        : undefined;
    rules.push(`each: ${itemMessage ?? `matches ${schema.items.pattern}`}`);
  }
  if (schema.pattern) {
    rules.push(custom ?? `matches ${schema.pattern}`);
  }
  if (schema.format) rules.push(`format ${schema.format}`);
  return rules.length ? rules.join('; ') : null;
}

function collectFields(
  schema: JsonSchema,
  options: {
    prefix: string[];
    required: boolean;
    conditional: boolean;
    step: string;
  },
  out: Field[],
): void {
  const add = (
    properties: Record<string, JsonSchema>,
    required: string[],
    conditional: boolean,
  ) => {
    for (const [key, child] of Object.entries(properties)) {
      const path = [...options.prefix, key];
      const name = path.join('.');
      const isRequired =
        options.required && !conditional && required.includes(key);
      if (out.some(f => f.name === name)) continue;
      // A null-only field is a display in the form (the cost estimate):
      // there is nothing to answer.
      if (child.type === 'null') continue;
      if (isObjectSchema(child)) {
        collectFields(
          child,
          {
            prefix: path,
            required: isRequired,
            conditional: options.conditional || conditional,
            step: options.step,
          },
          out,
        );
        continue;
      }
      out.push({
        name,
        path,
        title: child.title ?? null,
        description: child.description ?? null,
        type: describeType(child),
        required: isRequired,
        conditional: options.conditional || conditional,
        hasDefault: child.default !== undefined,
        ...(child.default !== undefined ? { default: child.default } : {}),
        enum: child.enum ?? null,
        rules: describeRules(child),
        step: options.step,
        schema: child,
      });
    }
  };
  add(schema.properties ?? {}, schema.required ?? [], false);
  for (const branch of conditionalBranches(schema)) {
    add(branch.properties ?? {}, branch.required ?? [], true);
  }
}

/** Every value the template's form asks for, page by page. */
export function listFields(steps: ParameterStep[]): Field[] {
  const fields: Field[] = [];
  for (const step of steps) {
    collectFields(
      step.schema,
      { prefix: [], required: true, conditional: false, step: step.title },
      fields,
    );
  }
  return fields;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withDefaults(schema: JsonSchema, value: unknown): unknown {
  if (value === undefined && schema.default !== undefined) {
    return structuredClone(schema.default);
  }
  if (
    !isObjectSchema(schema) ||
    (value !== undefined && !isPlainObject(value))
  ) {
    return value;
  }
  const object: Record<string, unknown> = { ...(value ?? {}) };
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const filled = withDefaults(child, object[key]);
    if (filled !== undefined) object[key] = filled;
  }
  // An optional object nobody filled and with no defaults stays absent.
  return value === undefined && Object.keys(object).length === 0
    ? undefined
    : object;
}

/**
 * The values with the template's defaults filled in where nothing was
 * given, nested objects included (as the portal's form does).
 */
export function applyDefaults(
  steps: ParameterStep[],
  values: ParameterValues,
): ParameterValues {
  let result: ParameterValues = { ...values };
  for (const step of steps) {
    result = withDefaults(
      {
        ...step.schema,
        type: 'object',
        properties: step.schema.properties ?? {},
      },
      result,
    ) as ParameterValues;
  }
  return result;
}

function getPath(values: ParameterValues, path: string[]): unknown {
  let current: unknown = values;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Sets `a.b.c` in `values`, creating the objects on the way. */
export function setPath(
  values: ParameterValues,
  path: string[],
  value: unknown,
): void {
  let current: Record<string, unknown> = values;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(current[key])) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[path[path.length - 1]] = value;
}

/** Required fields that have no value (after defaults). */
export function missingRequired(
  steps: ParameterStep[],
  values: ParameterValues,
): Field[] {
  return listFields(steps).filter(
    f => f.required && getPath(values, f.path) === undefined,
  );
}

/**
 * A value typed from the command line, as the field's schema types it:
 * `3` is a number for an integer, `eu-west-1,eu-central-1` a list for an
 * array, `true` a boolean; JSON for anything else structured.
 */
export function coerceValue(field: Field, raw: string): unknown {
  const types = typeOf(field.schema);
  if (types.includes('null') && (raw === 'null' || raw === '')) return null;
  const type = types.find(t => t !== 'null') ?? 'string';
  const invalid = (what: string) =>
    usageError(`${field.name}: '${raw}' is not ${what}`);
  switch (type) {
    case 'integer':
      if (!/^-?\d+$/.test(raw.trim())) throw invalid('a whole number');
      return Number(raw);
    case 'number': {
      const number = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(number)) {
        throw invalid('a number');
      }
      return number;
    }
    case 'boolean':
      if (/^(true|yes|on|1)$/i.test(raw)) return true;
      if (/^(false|no|off|0)$/i.test(raw)) return false;
      throw invalid('true or false');
    case 'array': {
      if (raw.trim().startsWith('[')) return parseJson(field, raw, 'array');
      const item: Field = { ...field, schema: field.schema.items ?? {} };
      return raw
        .split(',')
        .map(s => s.trim())
        .filter(Boolean)
        .map(s => coerceValue(item, s));
    }
    case 'object':
      return parseJson(field, raw, 'object');
    default:
      return raw;
  }
}

function parseJson(field: Field, raw: string, kind: 'array' | 'object') {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const ok = kind === 'array' ? Array.isArray(parsed) : isPlainObject(parsed);
  if (!ok) {
    throw usageError(`${field.name}: '${raw}' is not a JSON ${kind}`);
  }
  return parsed;
}

/**
 * Applies `key=value` assignments (`--set`) to `values`; an unknown key
 * is an error that lists the template's parameters.
 */
export function applyAssignments(
  steps: ParameterStep[],
  values: ParameterValues,
  assignments: string[],
): ParameterValues {
  const fields = listFields(steps);
  const result = structuredClone(values);
  for (const assignment of assignments) {
    const separator = assignment.indexOf('=');
    if (separator <= 0) {
      throw usageError(
        `--set ${assignment}: write key=value, e.g. --set name=orders-service`,
      );
    }
    const key = assignment.slice(0, separator).trim();
    const field = fields.find(f => f.name === key);
    if (!field) {
      throw usageError(`--set ${key}: the template has no parameter '${key}'`, [
        `its parameters: ${fields.map(f => f.name).join(', ')}`,
      ]);
    }
    setPath(
      result,
      field.path,
      coerceValue(field, assignment.slice(separator + 1)),
    );
  }
  return result;
}

/** Top-level keys of a values file the template does not know. */
export function unknownKeys(
  steps: ParameterStep[],
  values: ParameterValues,
): string[] {
  const known = new Set(listFields(steps).map(f => f.path[0]));
  return Object.keys(values).filter(key => !known.has(key));
}

function createAjv() {
  // Templates carry ui:* keywords for the form: not errors.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  addErrors(ajv);
  return ajv;
}

function describeAjvError(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') {
    path.push(String(error.params.missingProperty));
    return `${path.join('.')}: is required`;
  }
  const message =
    error.keyword === 'enum'
      ? `must be one of ${(error.params.allowedValues as unknown[])
          .map(v => JSON.stringify(v))
          .join(', ')}`
      : error.message ?? 'is invalid';
  return `${path.join('.') || 'values'}: ${message}`;
}

/**
 * Checks the values against every page's schema, as the scaffolder does
 * on `POST /v2/tasks`, with the template's own error messages; one line
 * per problem, naming the field. Empty when valid.
 */
export function validateValues(
  steps: ParameterStep[],
  values: ParameterValues,
): string[] {
  const ajv = createAjv();
  const problems: string[] = [];
  for (const step of steps) {
    const validate = ajv.compile(step.schema);
    if (!validate(values)) {
      for (const error of validate.errors ?? []) {
        // `if` failures only say that a `then` failed, which is reported too.
        if (error.keyword === 'if') continue;
        const line = describeAjvError(error);
        if (!problems.includes(line)) problems.push(line);
      }
    }
  }
  return problems;
}
