import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { Scaffolder } from './installedActions';
import { isObject, JsonObject } from './json';

/** Marks a directory this command wrote, so that it may replace it. */
export const RENDER_MARKER = '.validate-template-render';

export type RenderResult = { ok: boolean; messages: string[] };

/** A file as the dry-run API takes and returns it. */
export type SerializedFile = {
  path: string;
  base64Content: string;
  executable?: boolean;
};

/** Every file beside template.yaml (skipping `skip`), as the dry run takes them. */
export function directoryContents(
  templateFile: string,
  skip: (full: string) => boolean = () => false,
): SerializedFile[] {
  const dir = path.dirname(templateFile);
  const ignored = new Set(['.git', 'node_modules', '.render']);
  const out: SerializedFile[] = [];
  const collect = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (ignored.has(entry.name) || skip(full)) continue;
      if (entry.isDirectory()) collect(full);
      else if (entry.isFile() && full !== templateFile) {
        out.push({
          path: path.relative(dir, full).split(path.sep).join('/'),
          base64Content: fs.readFileSync(full).toString('base64'),
        });
      }
    }
  };
  collect(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

function failure(status: number, body: JsonObject, valuesFile: string) {
  const messages: string[] = [];
  const errors = Array.isArray(body.errors) ? body.errors : [];
  for (const e of errors as Array<{ property?: string; message?: string }>) {
    messages.push(
      `${path.relative(process.cwd(), valuesFile)}: ${
        String(e.property ?? '').replace(/^instance\.?/, 'values.') || 'values'
      }: ${e.message}`,
    );
  }
  if (isObject(body.error)) {
    messages.push(`dry run failed (${status}): ${body.error.message}`);
  }
  if (!messages.length) messages.push(`dry run failed (${status})`);
  return { ok: false, messages };
}

/**
 * Renders a template through the scaffolder's dry-run API (every step runs in
 * dry-run mode; nothing is published) and writes the files to `out`, which
 * it only ever replaces when it wrote it before.
 */
export async function renderTemplate(
  scaffolder: Scaffolder,
  file: string,
  valuesFile: string,
  out: string,
): Promise<RenderResult> {
  const template = YAML.parse(fs.readFileSync(file, 'utf8'));
  const values = YAML.parse(fs.readFileSync(valuesFile, 'utf8')) ?? {};
  const outAbs = path.resolve(out);
  const { status, body } = await scaffolder.dryRun({
    template,
    values,
    secrets: {},
    directoryContents: directoryContents(file, full => full === outAbs),
  });
  if (status !== 200) return failure(status, body, valuesFile);

  if (fs.existsSync(outAbs) && fs.readdirSync(outAbs).length) {
    if (!fs.existsSync(path.join(outAbs, RENDER_MARKER))) {
      return {
        ok: false,
        messages: [
          `--out ${out} exists and was not written by validate-template`,
        ],
      };
    }
    fs.rmSync(outAbs, { recursive: true, force: true });
  }
  fs.mkdirSync(outAbs, { recursive: true });
  fs.writeFileSync(path.join(outAbs, RENDER_MARKER), '');
  const files = (body.directoryContents ?? []) as SerializedFile[];
  for (const f of files) {
    const target = path.resolve(outAbs, f.path);
    if (!target.startsWith(outAbs + path.sep)) {
      return {
        ok: false,
        messages: [`rendered path ${f.path} escapes ${out}`],
      };
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.from(f.base64Content, 'base64'), {
      mode: f.executable ? 0o755 : 0o644,
    });
  }
  const steps = ((body.steps ?? []) as Array<{ id: string }>)
    .map(st => st.id)
    .join(' -> ');
  const messages = [
    `rendered ${files.length} file(s) into ${out} (dry run: ${steps})`,
  ];
  const output = isObject(body.output) ? body.output : {};
  const links = (output.links ?? []) as Array<JsonObject>;
  for (const link of links) {
    messages.push(
      `  output link ${link.title ?? ''}: ${link.url ?? link.entityRef ?? ''}`,
    );
  }
  return { ok: true, messages };
}
