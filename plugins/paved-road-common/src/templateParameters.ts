/**
 * The part of JSON schema a template's parameters use. The form, the
 * scaffolder's own check, the CLI and the MCP actions all read the same
 * schema, so nothing here knows any particular template.
 *
 * @public
 */
export type TemplateParameterSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, TemplateParameterSchema>;
  required?: string[];
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  items?: TemplateParameterSchema;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  errorMessage?: string | Record<string, string>;
  allOf?: TemplateParameterSchema[];
  oneOf?: TemplateParameterSchema[];
  anyOf?: TemplateParameterSchema[];
  then?: TemplateParameterSchema;
  else?: TemplateParameterSchema;
  dependencies?: Record<string, TemplateParameterSchema | string[]>;
  [keyword: string]: unknown;
};

/**
 * One page of a template's form, as the scaffolder serves it on
 * `GET /api/scaffolder/v2/templates/…/parameter-schema`.
 *
 * @public
 */
export type TemplateParameterStep = {
  title: string;
  description?: string;
  schema: TemplateParameterSchema;
};

/** @public */
export type TemplateParameterValues = Record<string, unknown>;

/**
 * One value a template asks for; nested objects are flattened to `a.b`.
 *
 * @public
 */
export type TemplateParameter = {
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
  /** Absent when the template has no default. */
  default?: unknown;
  /** Allowed values, when the schema lists them. */
  enum: unknown[] | null;
  /** The title of the form page it is on. */
  step: string;
  schema: TemplateParameterSchema;
};

/**
 * The JSON types a schema allows; a schema with properties and no `type`
 * is an object.
 *
 * @public
 */
export function templateParameterTypes(
  schema: TemplateParameterSchema,
): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  return [];
}

function describeType(schema: TemplateParameterSchema): string {
  const types = templateParameterTypes(schema);
  if (types.length === 0) return 'any';
  return types
    .map(t =>
      t === 'array' && schema.items
        ? `array of ${describeType(schema.items)}`
        : t,
    )
    .join(' | ');
}

function isObjectSchema(schema: TemplateParameterSchema): boolean {
  return (
    templateParameterTypes(schema).includes('object') && !!schema.properties
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Subschemas whose properties apply only in some cases. */
function conditionalBranches(
  schema: TemplateParameterSchema,
): TemplateParameterSchema[] {
  const branches: TemplateParameterSchema[] = [
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

function collect(
  schema: TemplateParameterSchema,
  at: {
    prefix: string[];
    required: boolean;
    conditional: boolean;
    step: string;
  },
  out: TemplateParameter[],
): void {
  const add = (owner: TemplateParameterSchema, inBranch: boolean) => {
    for (const [key, child] of Object.entries(owner.properties ?? {})) {
      const path = [...at.prefix, key];
      const name = path.join('.');
      if (out.some(p => p.name === name)) continue;
      // A null-only field is a display in the form (the cost estimate):
      // there is nothing to answer.
      if (child.type === 'null') continue;
      const required =
        at.required && !inBranch && (owner.required ?? []).includes(key);
      const conditional = at.conditional || inBranch;
      if (isObjectSchema(child)) {
        collect(
          child,
          { prefix: path, required, conditional, step: at.step },
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
        required,
        conditional,
        ...(child.default !== undefined ? { default: child.default } : {}),
        enum: child.enum ?? null,
        step: at.step,
        schema: child,
      });
    }
  };
  add(schema, false);
  for (const branch of conditionalBranches(schema)) {
    add(branch, true);
  }
}

/**
 * Every value the template's form asks for, page by page, read from the
 * template's own parameters.
 *
 * @public
 */
export function listTemplateParameters(
  steps: TemplateParameterStep[],
): TemplateParameter[] {
  const out: TemplateParameter[] = [];
  for (const step of steps) {
    collect(
      step.schema,
      { prefix: [], required: true, conditional: false, step: step.title },
      out,
    );
  }
  return out;
}

function withDefaults(
  schema: TemplateParameterSchema,
  value: unknown,
): unknown {
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
 *
 * @public
 */
export function applyTemplateParameterDefaults(
  steps: TemplateParameterStep[],
  values: TemplateParameterValues,
): TemplateParameterValues {
  return steps.reduce(
    (result, step) =>
      withDefaults(
        { type: 'object', properties: step.schema.properties ?? {} },
        result,
      ) as TemplateParameterValues,
    { ...values },
  );
}

function valueAt(values: TemplateParameterValues, path: string[]): unknown {
  let current: unknown = values;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * Required values without a value (after defaults), on every page at once.
 *
 * @public
 */
export function missingTemplateParameters(
  steps: TemplateParameterStep[],
  values: TemplateParameterValues,
): TemplateParameter[] {
  return listTemplateParameters(steps).filter(
    p => p.required && valueAt(values, p.path) === undefined,
  );
}

/**
 * Top-level keys of `values` the template does not ask for (usually a typo).
 *
 * @public
 */
export function unknownTemplateParameters(
  steps: TemplateParameterStep[],
  values: TemplateParameterValues,
): string[] {
  const known = new Set(listTemplateParameters(steps).map(p => p.path[0]));
  return Object.keys(values).filter(key => !known.has(key));
}
