import { InputError } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import { MissingAnswer } from '@paved-road/plugin-templates-common';
import { secretFieldPaths } from '@paved-road/plugin-templates-node';
import { parse } from 'yaml';

/** Where a project keeps the template and answers it was created from. */
export const ANSWERS_FILE = '.paved-road/answers.yaml';

/** What `paved-road:catalog-info:annotate` writes to {@link ANSWERS_FILE}. */
export type StoredAnswers = {
  template?: string;
  version?: string;
  answers: JsonObject;
};

/** Reads an answers file; an InputError names what is wrong with it. */
export function parseAnswersFile(text: string): StoredAnswers {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new InputError(`${ANSWERS_FILE} is not valid YAML: ${error}`);
  }
  if (!isObject(doc) || !isObject(doc.answers ?? {})) {
    throw new InputError(`${ANSWERS_FILE} holds no answers mapping`);
  }
  return {
    template: typeof doc.template === 'string' ? doc.template : undefined,
    version: typeof doc.version === 'string' ? doc.version : undefined,
    answers: (doc.answers ?? {}) as JsonObject,
  };
}

/** The values a render uses, and what the newer form asks beyond them. */
export type ResolvedAnswers = {
  values: JsonObject;
  /** The defaults filled in for questions the stored answers lack. */
  newAnswers: JsonObject;
  /** Required questions with neither an answer nor a default. */
  missingAnswers: MissingAnswer[];
};

/**
 * The values to render a template's `parameters` with: the stored answers,
 * then `overrides` (answers given with the upgrade), then the `default` of
 * every question neither holds, on every page and in nested objects. The
 * scaffolder's dry run fills in no defaults, so a question the newer
 * version adds would otherwise render empty. Secret fields are dropped
 * from both: they are never stored, and an upgrade may not set them.
 */
export function resolveAnswers(
  parameters: unknown,
  stored: JsonObject,
  overrides: JsonObject = {},
): ResolvedAnswers {
  const secrets = secretFieldPaths(parameters);
  const values = withoutPaths(mergeObjects(stored, overrides), secrets);
  const newAnswers: JsonObject = {};
  const missingAnswers: MissingAnswer[] = [];

  const fill = (
    schema: JsonObject,
    target: JsonObject,
    added: JsonObject,
    prefix: string[],
  ) => {
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const [key, child] of Object.entries(properties)) {
      if (!isObject(child)) continue;
      const path = [...prefix, key];
      if (secrets.some(secret => secret.join('.') === path.join('.'))) {
        continue;
      }
      if (target[key] === undefined && child.default !== undefined) {
        target[key] = structuredClone(child.default);
        added[key] = structuredClone(child.default);
      }
      if (isObject(target[key]) && isObject(child.properties)) {
        const nested: JsonObject = {};
        fill(child, target[key] as JsonObject, nested, path);
        if (Object.keys(nested).length > 0 && added[key] === undefined) {
          added[key] = nested;
        }
      }
    }
    const required = Array.isArray(schema.required) ? schema.required : [];
    for (const key of required) {
      if (typeof key !== 'string' || target[key] !== undefined) continue;
      const child = isObject(properties[key]) ? properties[key] : {};
      missingAnswers.push({
        name: [...prefix, key].join('.'),
        ...stringField('title', child.title),
        ...stringField('type', child.type),
        ...stringField('description', child.description),
      });
    }
  };

  const pages = Array.isArray(parameters) ? parameters : [parameters];
  for (const page of pages) {
    if (isObject(page)) fill(page, values, newAnswers, []);
  }
  return { values, newAnswers, missingAnswers };
}

function stringField(name: string, value: JsonValue | undefined) {
  return typeof value === 'string' ? { [name]: value } : {};
}

/** `b` over `a`, objects merged key by key; arrays and scalars replaced. */
function mergeObjects(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = structuredClone(a);
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key];
    out[key] =
      isObject(prev) && isObject(value)
        ? mergeObjects(prev, value)
        : structuredClone(value);
  }
  return out;
}

function withoutPaths(values: JsonObject, paths: string[][]): JsonObject {
  for (const path of paths) {
    let parent: JsonValue | undefined = values;
    for (const key of path.slice(0, -1)) {
      parent = isObject(parent) ? parent[key] : undefined;
    }
    if (isObject(parent)) {
      delete parent[path[path.length - 1]];
    }
  }
  return values;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
