import YAML from 'yaml';
import { YamlPath } from './json';

export type Severity = 'error' | 'warning';

/** One finding, with where it is in template.yaml. */
export type Problem = {
  severity: Severity;
  file: string;
  line?: number;
  column?: number;
  /** The id of the step it is in. */
  step?: string;
  /** The field, relative to the step when there is one (input.repoName). */
  field: string;
  message: string;
};

/** Reports problems at a path of template.yaml. */
export type Reporter = {
  error(path: YamlPath, message: string, step?: string): void;
  warn(path: YamlPath, message: string, step?: string): void;
};

function dotted(path: YamlPath): string {
  return path
    .map((x, i) => {
      if (typeof x === 'number') return `[${x}]`;
      return i ? `.${x}` : x;
    })
    .join('');
}

function fieldName(path: YamlPath, step?: string): string {
  // Inside a step: the part after spec.steps[i] (input.repoName).
  if (
    path[0] === 'spec' &&
    path[1] === 'steps' &&
    typeof path[2] === 'number'
  ) {
    const rest = path.slice(3);
    return (
      `${step ? '' : `spec.steps[${path[2]}]${rest.length ? '.' : ''}`}${dotted(
        rest,
      )}` || `spec.steps[${path[2]}]`
    );
  }
  return dotted(path) || '(template)';
}

/**
 * A reporter that places each problem at the line and column of the
 * nearest node of `doc` on its path.
 */
export function createReporter(
  file: string,
  doc: YAML.Document.Parsed | undefined,
  lineCounter: YAML.LineCounter,
  problems: Problem[],
): Reporter {
  const at = (path: YamlPath): { line?: number; column?: number } => {
    const node = doc?.getIn(path, true) as
      | { range?: [number, number, number]; key?: { range?: number[] } }
      | undefined;
    const offset = node?.range?.[0] ?? node?.key?.range?.[0];
    if (offset === undefined) {
      return path.length ? at(path.slice(0, -1)) : {};
    }
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const report =
    (severity: Severity) =>
    (path: YamlPath, message: string, step?: string) => {
      problems.push({
        severity,
        file,
        ...at(path),
        ...(step ? { step } : {}),
        field: fieldName(path, step),
        message,
      });
    };
  return { error: report('error'), warn: report('warning') };
}
