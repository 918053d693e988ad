import { InputError } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  applyTemplateParameterDefaults,
  listTemplateParameters,
  missingTemplateParameters,
  TemplateParameterSchema,
  TemplateParameterStep,
} from '@paved-road/plugin-paved-road-common';
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
 * every question neither holds, on every page and in nested objects, as
 * the portal's form and the CLI fill them. The scaffolder's dry run fills
 * in none, so a question the newer version adds would otherwise render
 * empty. Secret fields are dropped from both: they are never stored, and
 * an upgrade may not set them.
 */
export function resolveAnswers(
  parameters: unknown,
  stored: JsonObject,
  overrides: JsonObject = {},
): ResolvedAnswers {
  const pages = (Array.isArray(parameters) ? parameters : [parameters]).filter(
    isObject,
  );
  const steps: TemplateParameterStep[] = pages.map(page => ({
    title: typeof page.title === 'string' ? page.title : '',
    schema: page as TemplateParameterSchema,
  }));
  const given = withoutPaths(
    mergeObjects(stored, overrides),
    secretFieldPaths(parameters),
  );
  const values = applyTemplateParameterDefaults(steps, given) as JsonObject;

  const newAnswers: JsonObject = {};
  for (const question of listTemplateParameters(steps)) {
    const value = valueAt(values, question.path);
    if (valueAt(given, question.path) === undefined && value !== undefined) {
      setAt(newAnswers, question.path, value);
    }
  }
  const missingAnswers: MissingAnswer[] = missingTemplateParameters(
    steps,
    values,
  ).map(question => ({
    name: question.name,
    ...(question.title ? { title: question.title } : {}),
    type: question.type,
    ...(question.description ? { description: question.description } : {}),
  }));
  return { values, newAnswers, missingAnswers };
}

function valueAt(values: JsonObject, path: string[]): JsonValue | undefined {
  let current: JsonValue | undefined = values;
  for (const key of path) {
    current = isObject(current) ? current[key] : undefined;
  }
  return current;
}

function setAt(target: JsonObject, path: string[], value: JsonValue) {
  let current = target;
  for (const key of path.slice(0, -1)) {
    if (!isObject(current[key])) current[key] = {};
    current = current[key] as JsonObject;
  }
  current[path[path.length - 1]] = structuredClone(value);
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
