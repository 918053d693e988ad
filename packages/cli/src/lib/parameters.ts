import Ajv, { ErrorObject } from 'ajv';
import addErrors from 'ajv-errors';
import addFormats from 'ajv-formats';
import {
  listTemplateParameters,
  missingTemplateParameters,
  TemplateParameter,
  templateParameterTypes,
  TemplateParameterSchema,
  TemplateParameterStep,
  TemplateParameterValues,
} from '@paved-road/plugin-paved-road-common';
import { usageError } from './errors';

// The CLI's names for the shared reading of a template's parameters.
export {
  applyTemplateParameterDefaults as applyDefaults,
  unknownTemplateParameters as unknownKeys,
} from '@paved-road/plugin-paved-road-common';

/** The part of JSON schema a template's parameters use. */
export type JsonSchema = TemplateParameterSchema;

/** One page of the form: `GET /api/scaffolder/v2/templates/…/parameter-schema`. */
export type ParameterStep = TemplateParameterStep;

export type ParameterValues = TemplateParameterValues;

/** One value the template asks for, as the CLI shows it. */
export type Field = TemplateParameter & {
  hasDefault: boolean;
  /** The other rules in words: a range, a length, the pattern's message. */
  rules: string | null;
};

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

function toField(parameter: TemplateParameter): Field {
  return {
    ...parameter,
    hasDefault: parameter.default !== undefined,
    rules: describeRules(parameter.schema),
  };
}

/** Every value the template's form asks for, page by page. */
export function listFields(steps: ParameterStep[]): Field[] {
  return listTemplateParameters(steps).map(toField);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  return missingTemplateParameters(steps, values).map(toField);
}

/**
 * A value typed from the command line, as the field's schema types it:
 * `3` is a number for an integer, `eu-west-1,eu-central-1` a list for an
 * array, `true` a boolean; JSON for anything else structured.
 */
export function coerceValue(field: Field, raw: string): unknown {
  const types = templateParameterTypes(field.schema);
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
 * Applies `key=value` assignments (`--set`, or `flag`) to `values`; an
 * unknown key is an error that lists the template's parameters.
 */
export function applyAssignments(
  steps: ParameterStep[],
  values: ParameterValues,
  assignments: string[],
  flag = '--set',
): ParameterValues {
  const fields = listFields(steps);
  const result = structuredClone(values);
  for (const assignment of assignments) {
    const separator = assignment.indexOf('=');
    if (separator <= 0) {
      throw usageError(
        `${flag} ${assignment}: write key=value, e.g. ${flag} name=orders-service`,
      );
    }
    const key = assignment.slice(0, separator).trim();
    const field = fields.find(f => f.name === key);
    if (!field) {
      throw usageError(
        `${flag} ${key}: the template has no parameter '${key}'`,
        [`its parameters: ${fields.map(f => f.name).join(', ')}`],
      );
    }
    setPath(
      result,
      field.path,
      coerceValue(field, assignment.slice(separator + 1)),
    );
  }
  return result;
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
