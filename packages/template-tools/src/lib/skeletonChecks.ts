import fs from 'node:fs';
import path from 'node:path';
import { isObject, JsonObject, YamlPath } from './json';
import { Reporter } from './problems';
import { templateUses } from './references';
import { parseTemplate, TemplateSyntaxError } from './templateSyntax';

/** Actions whose `url` input is a path beside template.yaml. */
export const FETCH_ACTIONS = [
  'fetch:template',
  'fetch:plain',
  'fetch:template:file',
  'fetch:plain:file',
];

function listFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(root, full));
    else out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** A `copyWithoutTemplating` glob as fetch:template matches it. */
function globToRegExp(glob: unknown): RegExp {
  let re = '';
  const g = String(glob).replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      re += '.*';
      i++;
      if (g[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(/.*)?$`);
}

/**
 * A fetch step's `url` beside template.yaml: it exists (a directory for
 * fetch:template / fetch:plain); for fetch:template the skeleton's templates
 * parse, use known filters, and every `values.x` they read is passed by the
 * step (a passed value nothing reads is a warning).
 */
export function checkSkeleton(
  templateFile: string,
  step: JsonObject & { action: string; input: JsonObject },
  stepPath: YamlPath,
  id: string | undefined,
  filters: Set<string>,
  { error, warn }: Reporter,
): void {
  const url = step.input.url;
  if (
    typeof url !== 'string' ||
    url.includes('${{') ||
    /^[a-z][a-z0-9+.-]*:/i.test(url)
  ) {
    return; // remote or computed: cannot be checked here
  }
  const urlPath = [...stepPath, 'input', 'url'];
  const target = path.resolve(path.dirname(templateFile), url);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    error(
      urlPath,
      `${url} does not exist next to the template (${target})`,
      id,
    );
    return;
  }
  const wantsDir =
    step.action === 'fetch:template' || step.action === 'fetch:plain';
  if (wantsDir && !stat.isDirectory()) {
    error(urlPath, `${url} is not a directory`, id);
    return;
  }
  if (
    step.action !== 'fetch:template' &&
    step.action !== 'fetch:template:file'
  ) {
    return;
  }

  // values the skeleton reads vs. values the step passes.
  const used = new Map<string, string>(); // name -> first file
  let unreadable = false;
  const read = (source: string, where: string, rel: string) => {
    let uses;
    try {
      uses = templateUses(parseTemplate(source));
    } catch (e) {
      if (!(e instanceof TemplateSyntaxError)) throw e;
      unreadable = true;
      error(
        urlPath,
        `${url}/${rel}: Template error at line ${e.line + 1}, column ${
          e.column + 1
        }: ${e.message}`,
        id,
      );
      return;
    }
    for (const f of uses.filters) {
      if (!filters.has(f.name)) {
        error(
          urlPath,
          `${url}/${rel}: Template error at line ${f.node.line + 1}, column ${
            f.node.column + 1
          }: Unknown template filter "${f.name}"`,
          id,
        );
      }
    }
    for (const ref of uses.references) {
      const name = ref.path[0];
      if (ref.root === 'values' && typeof name === 'string' && name !== '*') {
        if (!used.has(name)) used.set(name, where);
      }
    }
  };
  const ext = step.input.templateFileExtension;
  let extension = typeof ext === 'string' ? ext : undefined;
  if (ext === true) extension = '.njk';
  const copyRaw = [
    step.input.copyWithoutTemplating ?? step.input.copyWithoutRender ?? [],
  ]
    .flat()
    .map(globToRegExp);
  const files = stat.isDirectory()
    ? listFiles(target)
    : [path.basename(target)];
  const base = stat.isDirectory() ? target : path.dirname(target);
  for (const rel of files) {
    // File and directory names are always rendered.
    if (rel.includes('${{') || rel.includes('{%')) read(rel, rel, rel);
    if (copyRaw.some(re => re.test(rel))) continue;
    if (extension && !rel.endsWith(extension)) continue;
    const buf = fs.readFileSync(path.join(base, rel));
    if (buf.subarray(0, 8000).includes(0)) continue; // binary
    read(buf.toString('utf8'), rel, rel);
  }
  const values = step.input.values;
  if (values !== undefined && !isObject(values)) return; // computed as a whole
  const passed = new Set(Object.keys(values ?? {}));
  for (const [name, where] of used) {
    if (!passed.has(name)) {
      error(
        [...stepPath, 'input', 'values'],
        `the skeleton uses values.${name} (${where}) but the step does not pass it (pass '' for empty)`,
        id,
      );
    }
  }
  // A skeleton file that does not parse may read any value.
  if (unreadable) return;
  for (const name of passed) {
    if (!used.has(name)) {
      warn(
        [...stepPath, 'input', 'values', name],
        `values.${name} is not used by ${url}`,
        id,
      );
    }
  }
}
