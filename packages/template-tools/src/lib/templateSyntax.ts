import fs from 'node:fs';
import vm from 'node:vm';

/** A node of nunjitsu's template AST (the shapes of nunjucks' nodes). */
export type TemplateNode = {
  type: string;
  /** 0-based. */
  line: number;
  /** 0-based. */
  column: number;
  [field: string]: unknown;
};

/** A template that does not parse, at a 0-based line and column. */
export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

type NunjitsuInternals = {
  parseTemplate(source: string): TemplateNode;
  listBuiltinFilterNames(): readonly string[];
};

let internals: NunjitsuInternals | undefined;

/**
 * nunjitsu (the scaffolder's template engine) exports only its renderer, not
 * the parser the renderer uses. Its CommonJS build is evaluated once more here
 * with that parser and the built-in filter list exported, so templates are
 * checked by exactly the parser that renders them; the version is pinned in
 * package.json and a mismatch fails loudly.
 */
function nunjitsu(): NunjitsuInternals {
  if (internals) return internals;
  const file = require.resolve('nunjitsu');
  const exported = ['parseTemplate', 'listBuiltinFilterNames'];
  const source = `${fs.readFileSync(file, 'utf8')}\n;${exported
    .map(
      name =>
        `exports.${name} = typeof ${name} === 'function' ? ${name} : undefined;`,
    )
    .join('\n')}`;
  const module = { exports: {} as Record<string, unknown> };
  vm.compileFunction(source, ['exports', 'require', 'module'], {
    filename: file,
  })(module.exports, require, module);
  const missing = exported.filter(n => typeof module.exports[n] !== 'function');
  if (missing.length) {
    throw new Error(
      `${file} has no ${missing.join(
        ', ',
      )}: template-tools reads nunjitsu 0.6.1's parser; update src/lib/templateSyntax.ts for this version`,
    );
  }
  internals = module.exports as unknown as NunjitsuInternals;
  return internals;
}

/** Parses a template (a `${{ }}` value or a skeleton file) as the scaffolder does. */
export function parseTemplate(source: string): TemplateNode {
  try {
    return nunjitsu().parseTemplate(source);
  } catch (e) {
    // A parse error of nunjitsu's own realm: judged by name, not instanceof.
    const error = e as {
      name?: string;
      message?: string;
      line?: number;
      column?: number;
    };
    if (error?.name === 'NunjitsuParseError') {
      throw new TemplateSyntaxError(
        String(error.message),
        error.line ?? 0,
        error.column ?? 0,
      );
    }
    throw e;
  }
}

/** Filters every nunjitsu renderer has (upper, default, replace, ...). */
export function builtinFilterNames(): ReadonlySet<string> {
  return new Set(nunjitsu().listBuiltinFilterNames());
}

/** Offset in `source` of a 0-based line and column. */
export function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = source.indexOf('\n', offset);
    if (next === -1) break;
    offset = next + 1;
  }
  return offset + column;
}
