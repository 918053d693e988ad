import {
  listTemplateParameters,
  TemplateParameter,
  TemplateParameterSchema,
  TemplateParameterStep,
} from '@paved-road/plugin-paved-road-common';

// The actions' names for the shared reading of a template's parameters.
export {
  applyTemplateParameterDefaults as applyParameterDefaults,
  missingTemplateParameters as missingParameters,
  unknownTemplateParameters as unknownParameters,
} from '@paved-road/plugin-paved-road-common';

/**
 * What a model needs to fill one value of a template: the shared reading
 * without the schema internals.
 */
export type ParameterSummary = Omit<TemplateParameter, 'path' | 'schema'>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The template's form pages, read from its entity: `spec.parameters` is one
 * schema or a list of them.
 */
export function parameterSteps(spec: unknown): TemplateParameterStep[] {
  const parameters = isObject(spec) ? spec.parameters : undefined;
  const schemas = [parameters ?? []]
    .flat()
    .filter(isObject) as TemplateParameterSchema[];
  return schemas.map((schema, index) => ({
    title: schema.title ?? `Step ${index + 1}`,
    ...(schema.description ? { description: schema.description } : {}),
    schema,
  }));
}

function toSummary({
  path: _path,
  schema: _schema,
  ...summary
}: TemplateParameter): ParameterSummary {
  return summary;
}

/** Every value the template asks for, read from its own parameters. */
export function summarizeParameters(
  steps: TemplateParameterStep[],
): ParameterSummary[] {
  return listTemplateParameters(steps).map(toSummary);
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
