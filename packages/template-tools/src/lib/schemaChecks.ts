import Ajv from 'ajv';
import ajvErrors from 'ajv-errors';
import addFormats from 'ajv-formats';
import { isObject, JsonObject, YamlPath } from './json';
import { Reporter } from './problems';

function makeAjv(): Ajv {
  // As strict as the form is picky: an unknown keyword (`patern`) is an error.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  ajvErrors(ajv);
  addFormats(ajv);
  // rjsf's legacy enum labels.
  ajv.addKeyword({ keyword: 'enumNames' });
  return ajv;
}

/** Every `ui:*` and `backstage:*` key in a schema: form hints, not schema. */
function formKeywords(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const s of schema) formKeywords(s, out);
  } else if (isObject(schema)) {
    for (const [k, v] of Object.entries(schema)) {
      if (k.startsWith('ui:') || k.startsWith('backstage:')) out.add(k);
      else formKeywords(v, out);
    }
  }
  return out;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const properties = (schema: JsonObject): JsonObject =>
  isObject(schema.properties) ? schema.properties : {};

/**
 * One parameter page: valid JSON Schema as the form validates it, `required`
 * names that exist, defaults that satisfy their own schema; warnings for
 * fields without a title or description.
 */
export function checkParameterPage(
  page: JsonObject,
  pagePath: YamlPath,
  { error, warn }: Reporter,
): void {
  const ajv = makeAjv();
  for (const k of formKeywords(page)) ajv.addKeyword({ keyword: k });
  try {
    ajv.compile(page);
  } catch (e) {
    error(pagePath, `invalid JSON Schema: ${(e as Error).message}`);
    return;
  }
  // `inherited`: property names of the enclosing object, which conditional
  // sub-schemas (dependencies, oneOf, if/then) repeat without redefining.
  const visit = (
    schema: unknown,
    path: YamlPath,
    label: string,
    isProperty: boolean,
    inherited = new Set<string>(),
  ): void => {
    if (!isObject(schema)) return;
    const props = properties(schema);
    if (Array.isArray(schema.required) && isObject(schema.properties)) {
      for (const r of schema.required) {
        if (!(r in props)) {
          error(
            [...path, 'required'],
            `requires "${r}", which is not one of its properties`,
          );
        }
      }
    }
    if (schema.default !== undefined && !ajv.validate(schema, schema.default)) {
      error(
        [...path, 'default'],
        `default ${JSON.stringify(
          schema.default,
        )} does not satisfy its own schema: ${ajv.errorsText(ajv.errors, {
          dataVar: label,
        })}`,
      );
    }
    const leaf = schema.type !== 'object' && !schema.properties;
    if (isProperty && leaf) {
      if (!schema.title) warn([...path], `${label}: no title`);
      if (!schema.description && !schema['ui:help']) {
        warn([...path], `${label}: no description`);
      }
    }
    const own = new Set([...inherited, ...Object.keys(props)]);
    for (const [k, s] of Object.entries(props)) {
      visit(
        s,
        [...path, 'properties', k],
        label ? `${label}.${k}` : k,
        !inherited.has(k),
      );
    }
    if (isObject(schema.items)) {
      visit(schema.items, [...path, 'items'], `${label}[]`, false);
    }
    const conditional = (s: unknown, p: YamlPath) =>
      visit(s, p, label, false, own);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      list(schema[key]).forEach((s, i) => conditional(s, [...path, key, i]));
    }
    for (const key of ['then', 'else']) {
      if (schema[key]) conditional(schema[key], [...path, key]);
    }
    const dependencies = isObject(schema.dependencies)
      ? schema.dependencies
      : {};
    for (const [k, d] of Object.entries(dependencies)) {
      if (isObject(d)) conditional(d, [...path, 'dependencies', k]);
    }
  };
  visit(page, pagePath, '', false);
}

/**
 * Property names a schema can contribute with their schemas, including those
 * of `allOf`/`anyOf`/`oneOf`, `then`/`else` and `dependencies` branches.
 */
export function schemaProperties(schema: unknown): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const collect = (s: unknown) => {
    if (!isObject(s)) return;
    out.push(...Object.entries(properties(s)));
    for (const key of ['allOf', 'anyOf', 'oneOf'])
      list(s[key]).forEach(collect);
    for (const key of ['then', 'else']) collect(s[key]);
    if (isObject(s.dependencies))
      Object.values(s.dependencies).forEach(collect);
  };
  collect(schema);
  return out;
}
