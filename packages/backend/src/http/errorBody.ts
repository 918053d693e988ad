import { RequestHandler } from 'express';
import os from 'node:os';

/**
 * Removes what an error body must not show outside development: stack
 * traces (of the error and its causes) and absolute file paths in
 * messages. Wraps `res.json`, so it covers every plugin's own error
 * handler, not only the root one.
 */
export function createErrorBodyFilter(): RequestHandler {
  return (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body?: unknown) =>
      json(res.statusCode >= 400 ? scrubErrorBody(body) : body);
    next();
  };
}

/** `{ error: { message, stack, cause } }` without stacks and file paths. */
export function scrubErrorBody(body: unknown): unknown {
  if (!isObject(body) || !isObject(body.error)) {
    return body;
  }
  return { ...body, error: scrubError(body.error) };
}

function scrubError(error: Record<string, unknown>, depth = 0): unknown {
  const { stack: _stack, ...rest } = error;
  if (typeof rest.message === 'string') {
    rest.message = redactPaths(rest.message);
  }
  if (isObject(rest.cause) && depth < 10) {
    rest.cause = scrubError(rest.cause, depth + 1);
  }
  return rest;
}

// Top directories of file systems, plus wherever this process lives; an
// API path such as /api/catalog/entities is not one of them.
const FILE_ROOTS = [
  'home',
  'root',
  'tmp',
  'var',
  'usr',
  'opt',
  'etc',
  'srv',
  'mnt',
  'app',
  'Users',
  'private',
  'proc',
  'workspace',
  ...[process.cwd(), os.tmpdir(), os.homedir()].map(
    dir => dir.split(/[/\\]/).filter(Boolean)[0] ?? '',
  ),
]
  .filter(Boolean)
  .map(root => root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

// After a start, space, quote, bracket, = or comma; a URL's path follows its
// host instead, so URLs stay as they are. Windows drive paths too.
const ABSOLUTE_PATH = new RegExp(
  `(^|[\\s'"\`(\\[=,:])((?:/(?:${[...new Set(FILE_ROOTS)].join(
    '|',
  )})(?=[/\\s'"\`)\\],:]|$)|[A-Za-z]:\\\\)[^\\s'"\`()\\[\\],]*)`,
  'g',
);

/** Replaces absolute file paths in a message with `<path>`. */
export function redactPaths(message: string): string {
  return message.replace(ABSOLUTE_PATH, '$1<path>');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
