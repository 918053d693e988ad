import { InputError } from '@backstage/errors';
import express, { RequestHandler } from 'express';

/** A body size limit for requests whose path starts with `path`. */
export type JsonBodyRoute = { path: string; limit: string };

export type JsonBodyOptions = {
  /** Limit for every route not listed, as body-parser takes it ('100kb'). */
  limit: string;
  /** Deepest nesting of objects and arrays accepted. */
  maxDepth: number;
  /** Routes with their own limit; the longest matching path wins. */
  routes: JsonBodyRoute[];
  /** Paths whose bodies are streamed on unread (the proxy forwards them). */
  passThrough: string[];
};

/**
 * The limits every `/api` route gets unless configured otherwise. The
 * scaffolder's dry run uploads a whole template directory (the scaffolder
 * itself accepts 10MB there); Paved Road's own routes keep the limits their
 * routers set, which this parser now enforces for them.
 */
export const DEFAULT_JSON_BODY_OPTIONS: JsonBodyOptions = {
  limit: '100kb',
  maxDepth: 32,
  routes: [
    { path: '/api/scaffolder/v2/dry-run', limit: '10mb' },
    { path: '/api/scaffolder', limit: '1mb' },
    { path: '/api/paved-road', limit: '64kb' },
    { path: '/api/deployments', limit: '64kb' },
  ],
  passThrough: ['/api/proxy'],
};

/**
 * Parses JSON request bodies once, before any plugin router, with a size
 * limit per route (413 beyond it) and a nesting-depth check (400), so no
 * plugin ever sees a body that could exhaust its stack. body-parser skips a
 * request whose body is already parsed, so the plugins' own `express.json()`
 * then does nothing.
 */
export function createJsonBodyParser(options: JsonBodyOptions): RequestHandler {
  const routes = [...options.routes].sort(
    (a, b) => b.path.length - a.path.length,
  );
  const type = ['application/json', 'application/*+json'];
  const parsers = new Map<string, RequestHandler>();
  const parserFor = (limit: string) => {
    let parser = parsers.get(limit);
    if (!parser) {
      parser = express.json({ limit, type });
      parsers.set(limit, parser);
    }
    return parser;
  };

  const under = (path: string, prefix: string) =>
    path === prefix || path.startsWith(`${prefix}/`);

  return (req, res, next) => {
    const path = req.originalUrl.split('?')[0];
    if (options.passThrough.some(prefix => under(path, prefix))) {
      next();
      return;
    }
    const route = routes.find(r => under(path, r.path));
    parserFor(route?.limit ?? options.limit)(req, res, error => {
      if (error) {
        next(error);
        return;
      }
      if (req.body !== undefined && depthExceeds(req.body, options.maxDepth)) {
        next(
          new InputError(
            `Request body is nested deeper than ${options.maxDepth} levels`,
          ),
        );
        return;
      }
      next();
    });
  };
}

/** Whether objects and arrays nest deeper than `max`; iterative, so any depth is safe to check. */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}
