import { InputError } from '@backstage/errors';
import express from 'express';

/** Deep enough for any audit `details`, far below what could hurt parsing. */
export const MAX_JSON_DEPTH = 16;

/**
 * `express.json` bounded in size (413 beyond `limit`) and then in nesting
 * depth (400), so hostile bodies never reach the handlers.
 */
export function boundedJson(limit: string): express.RequestHandler[] {
  return [
    express.json({ limit }),
    (req, _res, next) => {
      if (depthOf(req.body) > MAX_JSON_DEPTH) {
        next(
          new InputError(`body: nested deeper than ${MAX_JSON_DEPTH} levels`),
        );
        return;
      }
      next();
    },
  ];
}

// Iterative: a recursive walk is what a deep body would attack
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') {
      continue;
    }
    max = Math.max(max, depth + 1);
    if (max > MAX_JSON_DEPTH) {
      return max;
    }
    for (const child of Object.values(current)) {
      stack.push([child, depth + 1]);
    }
  }
  return max;
}
