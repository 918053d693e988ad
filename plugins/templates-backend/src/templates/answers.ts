import { InputError } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  applyTemplateParameterDefaults,
  listTemplateParameters,
  missingTemplateParameters,
  TemplateParameter,
  TemplateParameterSchema,
  TemplateParameterStep,
} from '@paved-road/plugin-paved-road-common';
import { MissingAnswer } from '@paved-road/plugin-templates-common';
import { secretFieldPaths } from '@paved-road/plugin-templates-node';
import { Validator } from 'jsonschema';
import { parse } from 'yaml';

const validator = new Validator();

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
  /**
   * Required questions with neither an answer nor a default, and questions
   * whose stored answer the newer form no longer accepts.
   */
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
 *
 * Each answer is checked against its question in the newer form: a stored
 * answer it no longer accepts (an option it dropped, say) is asked again
 * rather than rendered or silently replaced by a default; an override it
 * does not accept is an InputError naming `answers.<question>`.
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
  const questions = listTemplateParameters(steps);
  const invalid: MissingAnswer[] = [];
  for (const question of questions) {
    const value = valueAt(given, question.path);
    if (value === undefined || question.conditional) continue;
    const problem = answerProblem(question, value);
    if (!problem) continue;
    if (valueAt(overrides, question.path) !== undefined) {
      throw new InputError(`answers.${question.name}: ${problem}`);
    }
    deleteAt(given, question.path);
    invalid.push({
      ...describeQuestion(question),
      problem: `the stored answer ${JSON.stringify(value)} ${problem}`,
    });
  }
  const values = applyTemplateParameterDefaults(steps, given) as JsonObject;
  for (const { name } of invalid) {
    deleteAt(values, name.split('.'));
  }

  const newAnswers: JsonObject = {};
  for (const question of questions) {
    const value = valueAt(values, question.path);
    if (valueAt(given, question.path) === undefined && value !== undefined) {
      setAt(newAnswers, question.path, value);
    }
  }
  const missingAnswers: MissingAnswer[] = [
    ...invalid,
    ...missingTemplateParameters(steps, values)
      .filter(question => !invalid.some(i => i.name === question.name))
      .map(describeQuestion),
  ];
  return { values, newAnswers, missingAnswers };
}

function describeQuestion(question: TemplateParameter): MissingAnswer {
  return {
    name: question.name,
    ...(question.title ? { title: question.title } : {}),
    type: question.type,
    ...(question.description ? { description: question.description } : {}),
    ...(question.enum
      ? { enum: question.enum as NonNullable<MissingAnswer['enum']> }
      : {}),
  };
}

/**
 * What the question's own schema says against `value` (its enum, pattern,
 * type, bounds), in the template's `errorMessage` words when it has them.
 */
function answerProblem(
  question: TemplateParameter,
  value: JsonValue,
): string | undefined {
  const { properties, required, dependencies, ...own } = question.schema;
  const result = validator.validate(value, own as object);
  if (result.valid) return undefined;
  const error = result.errors[0];
  if (error.name === 'enum' && question.enum) {
    return `is not one of ${question.enum
      .map(option => JSON.stringify(option))
      .join(', ')}`;
  }
  const custom =
    typeof own.errorMessage === 'object'
      ? own.errorMessage[error.name]
      : own.errorMessage;
  return custom ?? error.message;
}

function deleteAt(values: JsonObject, path: string[]) {
  const parent = valueAt(values, path.slice(0, -1));
  if (isObject(parent)) delete parent[path[path.length - 1]];
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
  for (const path of paths) deleteAt(values, path);
  return values;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
