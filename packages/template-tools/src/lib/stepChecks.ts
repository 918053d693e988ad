import { Scaffolder } from './installedActions';
import { isObject, JsonObject, YamlPath } from './json';
import { Reporter } from './problems';
import { camelCase, suggest } from './suggestions';

const STEP_ID = /^[a-z][a-zA-Z0-9]*$/;
const STEP_KEYS = [
  'id',
  'name',
  'action',
  'input',
  'if',
  'each',
  'backstage:permissions',
];

/** A step's id when it has a usable one. */
export function stepId(step: JsonObject): string | undefined {
  return typeof step.id === 'string' && step.id ? step.id : undefined;
}

function checkInputs(
  step: JsonObject & { action: string },
  schema: JsonObject | undefined,
  path: YamlPath,
  id: string | undefined,
  { error }: Reporter,
) {
  if (!isObject(schema) || !isObject(schema.properties)) return;
  const properties = schema.properties;
  if (step.input !== undefined && !isObject(step.input)) {
    // The whole input computed by one expression.
    if (typeof step.input === 'string' && step.input.includes('${{')) return;
    error([...path, 'input'], 'must be a mapping of the action inputs', id);
    return;
  }
  const input = step.input ?? {};
  const known = Object.keys(properties);
  if (schema.additionalProperties === false) {
    for (const key of Object.keys(input)) {
      if (!(key in properties)) {
        error(
          [...path, 'input', key],
          `${step.action} has no input "${key}"${suggest(
            key,
            known,
          )} (inputs: ${known.join(', ')})`,
          id,
        );
      }
    }
  }
  for (const r of Array.isArray(schema.required) ? schema.required : []) {
    if (input[r] === undefined) {
      error([...path, 'input'], `${step.action} requires input "${r}"`, id);
    }
  }
}

/**
 * One step: an id that is present, camelCase and unique, only known step
 * fields, a name, an installed action, and inputs the action knows and
 * requires. Returns the step when it names an action, for further checks.
 */
export function checkStep(
  step: unknown,
  path: YamlPath,
  seen: Map<string, number>,
  scaffolder: Scaffolder,
  report: Reporter,
): (JsonObject & { action: string }) | undefined {
  const { error, warn } = report;
  const index = path[path.length - 1] as number;
  if (!isObject(step)) {
    error(path, 'a step must be a mapping');
    return undefined;
  }
  const id = stepId(step);
  if (!id) {
    error(
      [...path, 'id'],
      'missing: every step needs an id to be referenced and shown',
    );
  } else {
    if (!STEP_ID.test(id)) {
      error(
        [...path, 'id'],
        `"${id}" is not camelCase (^[a-z][a-zA-Z0-9]*$; dashes break steps.${id}.output), e.g. "${camelCase(
          id,
        )}"`,
        id,
      );
    }
    const first = seen.get(id);
    if (first !== undefined) {
      error([...path, 'id'], `duplicate step id (also step ${first + 1})`, id);
    } else {
      seen.set(id, index);
    }
  }
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.includes(key)) {
      error(
        [...path, key],
        `unknown step field "${key}" (allowed: ${STEP_KEYS.join(', ')})`,
        id,
      );
    }
  }
  if (!step.name) {
    warn(
      [...path, 'name'],
      'no name: the progress page shows the action id',
      id,
    );
  }
  if (typeof step.action !== 'string' || !step.action) {
    error([...path, 'action'], 'missing', id);
    return undefined;
  }
  const withAction = step as JsonObject & { action: string };
  const action = scaffolder.actions.get(step.action);
  if (!action) {
    error(
      [...path, 'action'],
      `action ${step.action} is not installed${suggest(
        step.action,
        scaffolder.actions.keys(),
      )}`,
      id,
    );
  } else {
    checkInputs(withAction, action.input, path, id, report);
  }
  return withAction;
}
