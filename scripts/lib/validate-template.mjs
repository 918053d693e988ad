#!/usr/bin/env node
// Checks Backstage software templates (scaffolder.backstage.io/v1beta3)
// before they are registered, and renders them through the scaffolder's dry
// run. Run it through ../validate-template, which puts the repository's Node
// on PATH:
//
//   ./scripts/validate-template templates/kotlin-library/template.yaml
//   ./scripts/validate-template --backend http://localhost:7007 templates/*/template.yaml
//   ./scripts/validate-template --render values.yaml --out /tmp/out templates/kotlin-library/template.yaml
//
// What it checks (docs/templates.md has the long version):
// - the file is one YAML document and a valid v1beta3 Template entity;
// - every parameter page is valid JSON Schema as the form validates it (ajv
//   with ajv-errors and ajv-formats, strict about unknown keywords, so a typo
//   such as `patern` is an error), `required` names exist, every default
//   satisfies its own schema, every pattern compiles;
// - step ids are present, unique and camelCase; every action is installed;
//   inputs are known to the action and required inputs are given;
// - every ${{ }} expression parses, uses known filters, and every reference
//   resolves: parameters.x exists on some page (nested fields too),
//   steps.y / steps['y'] is an earlier step and its output is declared by the
//   action, user / secrets / environment / context / each are used as the
//   scaffolder provides them;
// - fetch:template / fetch:plain point at an existing directory beside the
//   template, and every values.x the skeleton uses is passed by the step.
//
// Installed actions come from a running backend's
// GET /api/scaffolder/v2/actions with --backend. Without it they come from
// the same endpoint of an in-process scaffolder that loads exactly the
// scaffolder plugin and modules that packages/backend/src/index.ts adds
// (with test doubles for the database, and this portal's sample
// organisation and systems as the catalog): the list is the modules' own
// registration, not a hand-kept copy that drifts.
//
// Exit status: 0 no errors (warnings allowed), 1 errors, 2 could not run.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const YAML = require('yaml');

const STEP_ID = /^[a-z][a-zA-Z0-9]*$/;
const STEP_KEYS = new Set([
  'id',
  'name',
  'action',
  'input',
  'if',
  'each',
  'backstage:permissions',
]);
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'true',
  'false',
  'True',
  'False',
  'none',
  'None',
  'null',
  'undefined',
  'loop',
]);
// What the scaffolder puts into the context of step inputs and outputs
// (NunjucksWorkflowRunner): parameters, steps, user, secrets, environment,
// context, and each inside a step with `each`.
const ROOTS = [
  'parameters',
  'steps',
  'user',
  'secrets',
  'environment',
  'context',
  'each',
];
// Actions whose `url` input is a path beside template.yaml.
const FETCH_ACTIONS = new Set([
  'fetch:template',
  'fetch:plain',
  'fetch:template:file',
  'fetch:plain:file',
]);

// ---------------------------------------------------------------------------
// Installed actions and templating extensions

/**
 * The scaffolder templates are checked against and rendered with: a running
 * backend (`--backend`), or an in-process scaffolder composed like
 * packages/backend/src/index.ts. Call close() when done.
 */
export async function openScaffolder({ backend, token } = {}) {
  if (backend) {
    return remoteScaffolder(backend.replace(/\/+$/, ''), token);
  }
  return inProcessScaffolder();
}

async function remoteScaffolder(baseUrl, token) {
  let auth = token ?? process.env.BACKSTAGE_TOKEN;
  const call = (p, init = {}) =>
    fetch(`${baseUrl}${p}`, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
      },
    });
  let res = await call('/api/scaffolder/v2/actions');
  if (res.status === 401 && !auth) {
    // The embedded default signs in as guest; production needs --token.
    auth = await guestToken(baseUrl);
    if (auth) res = await call('/api/scaffolder/v2/actions');
  }
  if (!res.ok) {
    throw new Error(
      `GET ${baseUrl}/api/scaffolder/v2/actions answered ${res.status}${
        res.status === 401 ? ' (pass --token or BACKSTAGE_TOKEN)' : ''
      }`,
    );
  }
  const list = await res.json();
  const ext = await call('/api/scaffolder/v2/templating-extensions');
  return {
    ...toInstalled(
      `${baseUrl}/api/scaffolder/v2/actions`,
      list,
      ext.ok ? await ext.json() : undefined,
    ),
    async dryRun(body) {
      const r = await call('/api/scaffolder/v2/dry-run', {
        method: 'POST',
        body: JSON.stringify(body),
      });
      return { status: r.status, body: await r.json().catch(() => ({})) };
    },
    async close() {},
  };
}

async function guestToken(baseUrl) {
  try {
    const res = await fetch(
      `${baseUrl}/api/auth/guest/refresh?env=development`,
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    if (!res.ok) return undefined;
    return (await res.json())?.backstageIdentity?.token;
  } catch {
    return undefined;
  }
}

/** Scaffolder packages that packages/backend/src/index.ts adds. */
export function scaffolderPackages() {
  const indexFile = path.join(REPO_ROOT, 'packages/backend/src/index.ts');
  const backendRequire = createRequire(
    path.join(REPO_ROOT, 'packages/backend/package.json'),
  );
  const source = fs.readFileSync(indexFile, 'utf8');
  const packages = [];
  for (const m of source.matchAll(
    /^\s*backend\.add\(\s*import\(\s*['"]([^'"]+)['"]\s*\)/gm,
  )) {
    const name = m[1];
    let manifest;
    try {
      manifest = backendRequire(`${name}/package.json`);
    } catch {
      continue;
    }
    // The local git hosting too: the Paved Road module refuses to start
    // with pavedRoad.publish.target local-git without it.
    if (['scaffolder', 'local-git'].includes(manifest.backstage?.pluginId)) {
      packages.push(name);
    }
  }
  return { packages, require: backendRequire };
}

/**
 * This portal's organisation (the sample one of @paved-road/templates and the
 * portal's own users) and systems, so owners resolve when rendering.
 */
function sampleEntities() {
  const entities = [];
  for (const f of [
    'templates/sample-org/org.yaml',
    'examples/portal-users.yaml',
    'examples/entities.yaml',
  ]) {
    const file = path.join(REPO_ROOT, f);
    if (!fs.existsSync(file)) continue;
    for (const d of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const e = d.toJS();
      if (isObject(e) && e.kind) {
        entities.push({
          ...e,
          metadata: { namespace: 'default', ...e.metadata },
        });
      }
    }
  }
  return entities;
}

async function inProcessScaffolder() {
  // Workspace packages are TypeScript; the CLI's require hook compiles them.
  require('@backstage/cli/config/nodeTransform.cjs');
  const {
    startTestBackend,
    mockServices,
  } = require('@backstage/backend-test-utils');
  const {
    catalogServiceMock,
  } = require('@backstage/plugin-catalog-node/testUtils');
  const { packages, require: backendRequire } = scaffolderPackages();
  if (!packages.includes('@backstage/plugin-scaffolder-backend')) {
    throw new Error(
      'packages/backend/src/index.ts does not add @backstage/plugin-scaffolder-backend',
    );
  }
  const appConfig =
    YAML.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
    ) ?? {};
  const data = {};
  for (const key of ['backend', 'pavedRoad', 'scaffolder', 'integrations']) {
    if (appConfig[key]) data[key] = appConfig[key];
  }
  data.backend = {
    baseUrl: appConfig.backend?.baseUrl ?? 'http://localhost:7007',
    // Checked at start with the local-git target.
    ...(appConfig.backend?.reading
      ? { reading: appConfig.backend.reading }
      : {}),
  };
  // Dry runs of paved-road:publish only look for an existing repository;
  // resolve the local git directory as the backend does (from packages/backend).
  const gitDir = data.pavedRoad?.localGit?.directory;
  if (gitDir) {
    data.pavedRoad.localGit.directory = path.resolve(
      REPO_ROOT,
      'packages/backend',
      gitDir,
    );
  }

  const backend = await startTestBackend({
    features: [
      ...packages.map(name => backendRequire(name)),
      catalogServiceMock.factory({ entities: sampleEntities() }),
      mockServices.rootConfig.factory({ data }),
    ],
  });
  const { port } = backend.server.address();
  const base = `http://127.0.0.1:${port}/api/scaffolder/v2`;
  const headers = { authorization: 'Bearer mock-user-token' };
  try {
    const actions = await (await fetch(`${base}/actions`, { headers })).json();
    const ext = await (
      await fetch(`${base}/templating-extensions`, { headers })
    ).json();
    return {
      ...toInstalled(
        `the scaffolder of packages/backend (${packages.join(', ')})`,
        actions,
        ext,
      ),
      async dryRun(body) {
        const r = await fetch(`${base}/dry-run`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: r.status, body: await r.json().catch(() => ({})) };
      },
      close: () => backend.stop(),
    };
  } catch (e) {
    await backend.stop();
    throw e;
  }
}

function toInstalled(source, list, ext) {
  if (!Array.isArray(list)) {
    throw new Error(`${source}: expected a list of actions`);
  }
  const actions = new Map();
  for (const a of list) {
    actions.set(a.id, { input: a.schema?.input, output: a.schema?.output });
  }
  return {
    source,
    actions,
    filters: new Set(Object.keys(ext?.filters ?? {})),
    globals: new Set([
      ...Object.keys(ext?.globals?.functions ?? {}),
      ...Object.keys(ext?.globals?.values ?? {}),
    ]),
    knowsFilters: Boolean(ext?.filters),
  };
}

// ---------------------------------------------------------------------------
// One template file

/**
 * @returns {{ file: string, problems: Array<{severity: 'error'|'warning', file: string, line?: number, column?: number, step?: string, field: string, message: string}> }}
 */
export async function validateTemplate(file, installed) {
  const problems = [];
  const lineCounter = new YAML.LineCounter();
  let source;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({
      severity: 'error',
      file,
      field: '(file)',
      message: `cannot read: ${error.message}`,
    });
    return { file, problems };
  }
  const docs = YAML.parseAllDocuments(source, { lineCounter });
  const doc = Array.isArray(docs) ? docs[0] : undefined;

  const at = pathArray => {
    const node = doc?.getIn(pathArray, true);
    const offset = node?.range?.[0] ?? node?.key?.range?.[0];
    if (offset === undefined) {
      return pathArray.length ? at(pathArray.slice(0, -1)) : {};
    }
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const report = (severity, pathArray, message, step) => {
    problems.push({
      severity,
      file,
      ...at(pathArray),
      ...(step ? { step } : {}),
      field: fieldName(pathArray, step),
      message,
    });
  };
  const error = (p, m, s) => report('error', p, m, s);
  const warn = (p, m, s) => report('warning', p, m, s);

  if (!doc || docs.length !== 1) {
    error([], `expected exactly one YAML document, found ${docs.length ?? 0}`);
    return { file, problems };
  }
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      problems.push({
        severity: 'error',
        file,
        line,
        column: col,
        field: '(yaml)',
        message: e.message.split('\n')[0],
      });
    }
    return { file, problems };
  }
  const entity = doc.toJS();

  // -- The entity
  if (!isObject(entity)) {
    error([], 'the document is not a mapping');
    return { file, problems };
  }
  if (entity.apiVersion !== 'scaffolder.backstage.io/v1beta3') {
    error(
      ['apiVersion'],
      `must be scaffolder.backstage.io/v1beta3, got ${JSON.stringify(
        entity.apiVersion,
      )}`,
    );
  }
  if (entity.kind !== 'Template') {
    error(['kind'], `must be Template, got ${JSON.stringify(entity.kind)}`);
  }
  const name = entity.metadata?.name;
  if (
    typeof name !== 'string' ||
    !/^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/.test(name)
  ) {
    error(
      ['metadata', 'name'],
      'must be 1-63 letters, digits, ".", "_" or "-", starting and ending with a letter or digit',
    );
  }
  if (!entity.metadata?.title)
    warn(['metadata', 'title'], 'no title: the create page shows the name');
  if (!entity.metadata?.description) {
    warn(
      ['metadata', 'description'],
      'no description: the create page card is empty',
    );
  }
  const spec = isObject(entity.spec) ? entity.spec : {};
  if (!isObject(entity.spec)) error(['spec'], 'missing');
  if (typeof spec.type !== 'string' || !spec.type)
    error(['spec', 'type'], 'missing (e.g. service, library)');
  if (typeof spec.owner !== 'string' || !spec.owner) {
    warn(['spec', 'owner'], 'no owner: who maintains this template?');
  }
  try {
    const {
      templateEntityV1beta3Validator,
    } = require('@backstage/plugin-scaffolder-common');
    // The same check the scaffolder runs on POST /v2/dry-run.
    if (!(await templateEntityV1beta3Validator.check(entity))) {
      error([], 'not a valid Template entity (the scaffolder would refuse it)');
    }
  } catch (e) {
    error([], `not a valid Template entity: ${e.message}`);
  }

  // -- Parameters
  const paramsNode = spec.parameters;
  const pages = Array.isArray(paramsNode)
    ? paramsNode
    : isObject(paramsNode)
    ? [paramsNode]
    : [];
  const pagePath = i =>
    Array.isArray(paramsNode)
      ? ['spec', 'parameters', i]
      : ['spec', 'parameters'];
  if (paramsNode !== undefined && !pages.length) {
    error(['spec', 'parameters'], 'must be a schema or a list of schemas');
  }
  const parameterSchemas = new Map(); // name -> schemas that define it
  pages.forEach((page, i) => {
    if (!isObject(page)) {
      error(pagePath(i), 'a parameter page must be a JSON schema object');
      return;
    }
    checkPage(page, pagePath(i), { error, warn });
    for (const [key, schema] of pageProperties(page)) {
      if (!parameterSchemas.has(key)) parameterSchemas.set(key, []);
      parameterSchemas.get(key).push(schema);
    }
  });

  // -- Steps
  const steps = Array.isArray(spec.steps) ? spec.steps : [];
  if (!Array.isArray(spec.steps))
    error(['spec', 'steps'], 'must be a list of steps');
  const seen = new Map();
  steps.forEach((step, i) => {
    const p = ['spec', 'steps', i];
    if (!isObject(step)) {
      error(p, 'a step must be a mapping');
      return;
    }
    const id = typeof step.id === 'string' ? step.id : undefined;
    if (!id) {
      error(
        [...p, 'id'],
        'missing: every step needs an id to be referenced and shown',
      );
    } else {
      if (!STEP_ID.test(id)) {
        error(
          [...p, 'id'],
          `"${id}" is not camelCase (^[a-z][a-zA-Z0-9]*$; dashes break steps.${id}.output), e.g. "${camel(
            id,
          )}"`,
          id,
        );
      }
      if (seen.has(id)) {
        error(
          [...p, 'id'],
          `duplicate step id (also step ${seen.get(id) + 1})`,
          id,
        );
      } else {
        seen.set(id, i);
      }
    }
    for (const key of Object.keys(step)) {
      if (!STEP_KEYS.has(key)) {
        error(
          [...p, key],
          `unknown step field "${key}" (allowed: ${[...STEP_KEYS].join(', ')})`,
          id,
        );
      }
    }
    if (!step.name)
      warn(
        [...p, 'name'],
        'no name: the progress page shows the action id',
        id,
      );
    if (typeof step.action !== 'string' || !step.action) {
      error([...p, 'action'], 'missing', id);
      return;
    }
    const action = installed.actions.get(step.action);
    if (!action) {
      error(
        [...p, 'action'],
        `action ${step.action} is not installed${suggest(step.action, [
          ...installed.actions.keys(),
        ])}`,
        id,
      );
    } else {
      checkInputs(step, action, p, id, { error, warn });
    }
    if (FETCH_ACTIONS.has(step.action) && isObject(step.input)) {
      checkFetch(file, step, p, id, installed, { error, warn });
    }
  });

  // -- Expressions in steps and output
  const stepIndex = new Map();
  steps.forEach((s, i) => {
    if (isObject(s) && typeof s.id === 'string' && !stepIndex.has(s.id)) {
      stepIndex.set(s.id, { index: i, action: s.action });
    }
  });
  const renderer = makeRenderer(installed);
  const ctx = { parameterSchemas, stepIndex, installed, renderer, error, warn };
  steps.forEach((step, i) => {
    if (!isObject(step)) return;
    const id = typeof step.id === 'string' ? step.id : undefined;
    for (const key of ['input', 'if', 'each']) {
      if (step[key] === undefined) continue;
      walkStrings(step[key], ['spec', 'steps', i, key], (value, p) =>
        checkExpressions(value, p, {
          ...ctx,
          step: id,
          before: i,
          hasEach: step.each !== undefined && key !== 'each',
        }),
      );
    }
  });
  if (spec.output !== undefined) {
    walkStrings(spec.output, ['spec', 'output'], (value, p) =>
      checkExpressions(value, p, {
        ...ctx,
        before: steps.length,
        hasEach: false,
      }),
    );
    for (const [i, link] of (spec.output.links ?? []).entries()) {
      if (!isObject(link) || (!link.url && !link.entityRef)) {
        error(['spec', 'output', 'links', i], 'a link needs url or entityRef');
      }
    }
  }
  problems.sort(
    (a, b) =>
      (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  return { file, problems };
}

// ---------------------------------------------------------------------------
// Parameter pages

function makeAjv() {
  const Ajv = require('ajv');
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  require('ajv-errors')(ajv);
  require('ajv-formats')(ajv);
  // rjsf's legacy enum labels.
  ajv.addKeyword({ keyword: 'enumNames' });
  return ajv;
}

/** Every `ui:*` and `backstage:*` key in a schema: form hints, not schema. */
function formKeywords(schema, out = new Set()) {
  if (Array.isArray(schema)) {
    for (const s of schema) formKeywords(s, out);
  } else if (isObject(schema)) {
    for (const [k, v] of Object.entries(schema)) {
      if (k.startsWith('ui:') || k.startsWith('backstage:')) out.add(k);
      else formKeywords(v, out);
    }
  }
  return out;
}

function checkPage(page, p, { error, warn }) {
  const ajv = makeAjv();
  for (const k of formKeywords(page)) ajv.addKeyword({ keyword: k });
  try {
    ajv.compile(page);
  } catch (e) {
    error(p, `invalid JSON Schema: ${e.message}`);
    return;
  }
  // `inherited`: property names of the enclosing object, which conditional
  // sub-schemas (dependencies, oneOf, if/then) repeat without redefining.
  const visit = (schema, sp, label, isProperty, inherited = new Set()) => {
    if (!isObject(schema)) return;
    if (Array.isArray(schema.required) && isObject(schema.properties)) {
      for (const r of schema.required) {
        if (!(r in schema.properties)) {
          error(
            [...sp, 'required'],
            `requires "${r}", which is not one of its properties`,
          );
        }
      }
    }
    if (schema.default !== undefined) {
      const ok = ajv.validate(schema, schema.default);
      if (!ok) {
        error(
          [...sp, 'default'],
          `default ${JSON.stringify(
            schema.default,
          )} does not satisfy its own schema: ${ajv.errorsText(ajv.errors, {
            dataVar: label,
          })}`,
        );
      }
    }
    const leaf = schema.type !== 'object' && !schema.properties;
    if (isProperty && leaf) {
      if (!schema.title) warn([...sp], `${label}: no title`);
      if (!schema.description && !schema['ui:help'])
        warn([...sp], `${label}: no description`);
    }
    const own = new Set([
      ...inherited,
      ...Object.keys(schema.properties ?? {}),
    ]);
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
      const name = label ? `${label}.${k}` : k;
      visit(s, [...sp, 'properties', k], name, !inherited.has(k));
    }
    if (isObject(schema.items))
      visit(schema.items, [...sp, 'items'], `${label}[]`, false);
    const conditional = (s, p2) => visit(s, p2, label, false, own);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      (schema[key] ?? []).forEach((s, i) => conditional(s, [...sp, key, i]));
    }
    for (const key of ['then', 'else']) {
      if (schema[key]) conditional(schema[key], [...sp, key]);
    }
    for (const [k, d] of Object.entries(schema.dependencies ?? {})) {
      if (isObject(d)) conditional(d, [...sp, 'dependencies', k]);
    }
  };
  visit(page, p, '', false);
}

/** Top-level property names a page can contribute, with their schemas. */
function pageProperties(page) {
  const out = [];
  const collect = s => {
    if (!isObject(s)) return;
    for (const [k, v] of Object.entries(s.properties ?? {})) out.push([k, v]);
    for (const key of ['allOf', 'anyOf', 'oneOf'])
      (s[key] ?? []).forEach(collect);
    for (const key of ['then', 'else']) collect(s[key]);
    for (const d of Object.values(s.dependencies ?? {})) collect(d);
  };
  collect(page);
  return out;
}

// ---------------------------------------------------------------------------
// Steps

function checkInputs(step, action, p, id, { error }) {
  const schema = action.input;
  if (!isObject(schema) || !isObject(schema.properties)) return;
  if (step.input !== undefined && !isObject(step.input)) {
    if (typeof step.input === 'string' && step.input.includes('${{')) return;
    error([...p, 'input'], 'must be a mapping of the action inputs', id);
    return;
  }
  const input = step.input ?? {};
  const known = Object.keys(schema.properties);
  if (schema.additionalProperties === false) {
    for (const key of Object.keys(input)) {
      if (!(key in schema.properties)) {
        error(
          [...p, 'input', key],
          `${step.action} has no input "${key}"${suggest(
            key,
            known,
          )} (inputs: ${known.join(', ')})`,
          id,
        );
      }
    }
  }
  for (const r of schema.required ?? []) {
    if (input[r] === undefined) {
      error([...p, 'input'], `${step.action} requires input "${r}"`, id);
    }
  }
}

function checkFetch(file, step, p, id, installed, { error, warn }) {
  const url = step.input.url;
  if (
    typeof url !== 'string' ||
    url.includes('${{') ||
    /^[a-z][a-z0-9+.-]*:/i.test(url)
  ) {
    return; // remote or computed: cannot be checked here
  }
  const target = path.resolve(path.dirname(file), url);
  const wantsDir =
    step.action === 'fetch:template' || step.action === 'fetch:plain';
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    error(
      [...p, 'input', 'url'],
      `${url} does not exist next to the template (${target})`,
      id,
    );
    return;
  }
  if (wantsDir && !stat.isDirectory()) {
    error([...p, 'input', 'url'], `${url} is not a directory`, id);
    return;
  }
  if (step.action !== 'fetch:template' && step.action !== 'fetch:template:file')
    return;

  // values the skeleton reads vs. values the step passes.
  const used = new Map(); // name -> first file
  const renderer = makeRenderer(installed);
  const ext = step.input.templateFileExtension;
  const extension =
    ext === true ? '.njk' : typeof ext === 'string' ? ext : undefined;
  const copyRaw = (
    step.input.copyWithoutTemplating ??
    step.input.copyWithoutRender ??
    []
  ).map(globToRegExp);
  const files = stat.isDirectory()
    ? listFiles(target)
    : [path.basename(target)];
  const base = stat.isDirectory() ? target : path.dirname(target);
  for (const rel of files) {
    // File and directory names are always rendered.
    collectValues(rel, rel, used);
    if (copyRaw.some(re => re.test(rel))) continue;
    if (extension && !rel.endsWith(extension)) continue;
    const buf = fs.readFileSync(path.join(base, rel));
    if (buf.subarray(0, 8000).includes(0)) continue; // binary
    const text = buf.toString('utf8');
    collectValues(text, rel, used);
    try {
      renderer.render(text, { values: {} });
    } catch (e) {
      if (isSyntaxError(e.message)) {
        error([...p, 'input', 'url'], `${url}/${rel}: ${e.message}`, id);
      }
    }
  }
  const values = step.input.values;
  if (values !== undefined && !isObject(values)) return; // computed as a whole
  const passed = new Set(Object.keys(values ?? {}));
  for (const [name, where] of used) {
    if (!passed.has(name)) {
      error(
        [...p, 'input', 'values'],
        `the skeleton uses values.${name} (${where}) but the step does not pass it (pass '' for empty)`,
        id,
      );
    }
  }
  for (const name of passed) {
    if (!used.has(name))
      warn(
        [...p, 'input', 'values', name],
        `values.${name} is not used by ${url}`,
        id,
      );
  }
}

function collectValues(text, where, used) {
  const stripped = text.replace(
    /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g,
    '',
  );
  for (const block of stripped.matchAll(
    /\$\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g,
  )) {
    for (const ref of references(block[1] ?? block[2])) {
      const name = ref.path[0];
      if (ref.root === 'values' && typeof name === 'string' && name !== '*') {
        if (!used.has(name)) used.set(name, where);
      }
    }
  }
}

function listFiles(root, dir = root) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(root, full));
    else out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out.sort();
}

function globToRegExp(glob) {
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

// ---------------------------------------------------------------------------
// Expressions

function makeRenderer(installed) {
  const { createTemplateRenderer } = require('nunjitsu');
  const stub = value => value;
  const filters = {};
  const known = installed.knowsFilters
    ? installed.filters
    : new Set(['parseRepoUrl', 'parseEntityRef', 'pick', 'projectSlug']);
  for (const f of known) filters[f] = stub;
  const globals = {};
  for (const g of installed.globals ?? []) globals[g] = () => undefined;
  return createTemplateRenderer({
    filters,
    globals,
    allowRegexExecution: true,
  });
}

function isSyntaxError(message) {
  return (
    /Expected|Unexpected|Missing|Unknown|Unterminated|Unclosed|Invalid/.test(
      message,
    ) && !/failed for|requires an?|undefined input/.test(message)
  );
}

function checkExpressions(value, p, ctx) {
  if (!value.includes('${{')) return;
  const { error } = ctx;
  // Each ${{ }} on its own: a broken one does not hide the others. The
  // scaffolder passes a string that fails to render on unchanged.
  for (const m of value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    try {
      ctx.renderer.renderValue(m[0], {});
    } catch (e) {
      if (isSyntaxError(e.message)) {
        error(
          p,
          `${e.message.replace(
            /^Template error at line \d+, column \d+: /,
            '',
          )} in ${m[0]}`,
          ctx.step,
        );
        continue;
      }
    }
    for (const ref of references(m[1])) checkReference(ref, p, ctx);
  }
}

function tokenize(expr) {
  const tokens = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < expr.length && expr[j] !== c) {
        if (expr[j] === '\\') {
          s += expr[j + 1] ?? '';
          j += 2;
        } else {
          s += expr[j++];
        }
      }
      tokens.push({ t: 'str', v: s });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < expr.length && /\w/.test(expr[j])) j++;
      tokens.push({ t: 'id', v: expr.slice(i, j) });
      i = j;
    } else if (/\d/.test(c)) {
      let j = i;
      while (j < expr.length && /[\d.]/.test(expr[j])) j++;
      tokens.push({ t: 'num', v: expr.slice(i, j) });
      i = j;
    } else {
      tokens.push({ t: 'p', v: c });
      i++;
    }
  }
  return tokens;
}

/** Variable references in one expression: { root, path: (string|'*')[] }. */
export function references(expr) {
  const tokens = tokenize(expr);
  const refs = [];
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.t !== 'id' || KEYWORDS.has(tok.v)) continue;
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    if (prev?.t === 'p' && (prev.v === '.' || prev.v === '|')) continue;
    if (prev?.t === 'id' && prev.v === 'is') continue; // test name
    if (next?.t === 'p' && next.v === '=' && tokens[k + 2]?.v !== '=') continue; // kwarg
    if (next?.t === 'p' && next.v === '(') {
      refs.push({ root: tok.v, path: [], call: true });
      continue;
    }
    const pathParts = [];
    let j = k + 1;
    while (j < tokens.length) {
      const a = tokens[j];
      if (a.t === 'p' && a.v === '.' && tokens[j + 1]?.t === 'id') {
        pathParts.push(tokens[j + 1].v);
        j += 2;
      } else if (
        a.t === 'p' &&
        a.v === '[' &&
        (tokens[j + 1]?.t === 'str' || tokens[j + 1]?.t === 'num') &&
        tokens[j + 2]?.v === ']'
      ) {
        pathParts.push(
          tokens[j + 1].t === 'num' ? Number(tokens[j + 1].v) : tokens[j + 1].v,
        );
        j += 3;
      } else if (a.t === 'p' && a.v === '[') {
        pathParts.push('*');
        break;
      } else {
        break;
      }
    }
    refs.push({ root: tok.v, path: pathParts });
    k = j - 1;
  }
  return refs;
}

function checkReference(ref, p, ctx) {
  const { error, warn, step } = ctx;
  const shown = [
    ref.root,
    ...ref.path.map(x => (typeof x === 'number' ? `[${x}]` : x)),
  ]
    .join('.')
    .replace(/\.\[/g, '[');
  if (ref.call) {
    if (
      ctx.installed.globals &&
      !ctx.installed.globals.has(ref.root) &&
      ref.root !== 'range'
    ) {
      error(p, `unknown function ${ref.root}()`, step);
    }
    return;
  }
  const [first, second, ...rest] = ref.path;
  switch (ref.root) {
    case 'parameters': {
      if (first === undefined || first === '*') return;
      const schemas = ctx.parameterSchemas.get(first);
      if (!schemas) {
        error(
          p,
          `${shown}: no parameter "${first}" on any page${suggest(
            String(first),
            [...ctx.parameterSchemas.keys()],
          )} (parameters: ${
            [...ctx.parameterSchemas.keys()].join(', ') || 'none'
          })`,
          step,
        );
        return;
      }
      const missing = nestedMissing(schemas, ref.path.slice(1));
      if (missing)
        error(
          p,
          `${shown}: parameter ${first} has no field "${missing}"`,
          step,
        );
      return;
    }
    case 'steps': {
      if (first === undefined || first === '*') return;
      const target = ctx.stepIndex.get(first);
      if (!target) {
        error(
          p,
          `${shown}: no step "${first}"${suggest(String(first), [
            ...ctx.stepIndex.keys(),
          ])}`,
          step,
        );
        return;
      }
      if (target.index >= ctx.before) {
        error(
          p,
          `${shown}: step "${first}" ${
            target.index === ctx.before ? 'is this step' : 'runs later'
          }; only earlier steps have outputs`,
          step,
        );
        return;
      }
      if (second === undefined || second === '*') return;
      if (second !== 'output') {
        error(p, `${shown}: a step exposes only steps.${first}.output`, step);
        return;
      }
      const outputName = rest[0];
      if (outputName === undefined || outputName === '*') return;
      const schema = ctx.installed.actions.get(target.action)?.output;
      if (!ctx.installed.actions.has(target.action)) return;
      const props = isObject(schema?.properties)
        ? Object.keys(schema.properties)
        : [];
      // Actions without an output schema (catalog:register) may output
      // anything; only declared outputs can be checked.
      if (props.length && !props.includes(outputName)) {
        error(
          p,
          `${shown}: action ${
            target.action
          } has no output "${outputName}"${suggest(
            String(outputName),
            props,
          )} (outputs: ${props.join(', ')})`,
          step,
        );
      }
      return;
    }
    case 'user':
      if (first !== undefined && first !== 'entity' && first !== 'ref') {
        error(p, `${shown}: user has only entity and ref`, step);
      }
      return;
    case 'environment':
      if (
        first !== undefined &&
        first !== 'parameters' &&
        first !== 'secrets'
      ) {
        error(p, `${shown}: environment has only parameters and secrets`, step);
      }
      return;
    case 'context':
      if (
        first !== undefined &&
        !(first === 'task' && (second === undefined || second === 'id'))
      ) {
        error(p, `${shown}: context has only task.id`, step);
      }
      return;
    case 'each':
      if (!ctx.hasEach) {
        error(p, `${shown}: each is only set inside a step with "each"`, step);
      } else if (first !== undefined && first !== 'key' && first !== 'value') {
        error(p, `${shown}: each has only key and value`, step);
      }
      return;
    case 'secrets':
      return;
    default:
      if (ctx.installed.globals?.has(ref.root)) return;
      error(
        p,
        `${shown}: unknown variable "${ref.root}"${
          ref.root === 'templateInfo' ? ' (not available to step inputs)' : ''
        }${suggest(ref.root, ROOTS)} (available: ${ROOTS.join(', ')})`,
        step,
      );
  }
}

/** The first path segment a parameter schema does not define, if any. */
function nestedMissing(schemas, rest) {
  if (!rest.length || rest[0] === '*') return undefined;
  const [head, ...tail] = rest;
  const next = [];
  for (const s of schemas) {
    if (!isObject(s)) return undefined;
    if (typeof head === 'number') {
      if (isObject(s.items)) next.push(s.items);
      else return undefined;
      continue;
    }
    const props = pageProperties(s);
    if (
      !props.length ||
      (s.additionalProperties !== undefined && s.additionalProperties !== false)
    ) {
      return undefined; // open object: anything goes
    }
    for (const [k, v] of props) if (k === head) next.push(v);
  }
  if (!next.length) return String(head);
  return nestedMissing(next, tail);
}

// ---------------------------------------------------------------------------
// Helpers

function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walkStrings(value, p, fn) {
  if (typeof value === 'string') fn(value, p);
  else if (Array.isArray(value))
    value.forEach((v, i) => walkStrings(v, [...p, i], fn));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...p, k], fn);
  }
}

function fieldName(p, step) {
  // Inside a step: the part after spec.steps[i] (input.repoName).
  if (p[0] === 'spec' && p[1] === 'steps' && typeof p[2] === 'number') {
    const rest = p.slice(3);
    return (
      `${step ? '' : `spec.steps[${p[2]}]${rest.length ? '.' : ''}`}${dotted(
        rest,
      )}` || `spec.steps[${p[2]}]`
    );
  }
  return dotted(p) || '(template)';
}

function dotted(p) {
  return p
    .map((x, i) => (typeof x === 'number' ? `[${x}]` : i ? `.${x}` : x))
    .join('');
}

function camel(id) {
  return id
    .replace(/[-_ ]+([a-zA-Z0-9])/g, (_, c) => c.toUpperCase())
    .replace(/^[A-Z]/, c => c.toLowerCase());
}

function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return d[a.length][b.length];
}

function suggest(word, candidates) {
  let best;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = distance(word.toLowerCase(), c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best && bestScore <= Math.max(2, Math.floor(word.length / 3))
    ? ` (did you mean ${best}?)`
    : '';
}

// ---------------------------------------------------------------------------
// Command line

/** Validates each file in turn. */
export async function validateFiles(files, installed) {
  const results = [];
  for (const file of files)
    results.push(await validateTemplate(file, installed));
  return results;
}

const RENDER_MARKER = '.validate-template-render';

/**
 * Renders a template through the scaffolder's dry-run API (every step runs in
 * dry-run mode; nothing is published) and writes the files to `out`.
 * @returns {Promise<{ ok: boolean, messages: string[] }>}
 */
export async function renderTemplate(scaffolder, file, valuesFile, out) {
  const messages = [];
  const template = YAML.parse(fs.readFileSync(file, 'utf8'));
  const values = YAML.parse(fs.readFileSync(valuesFile, 'utf8')) ?? {};
  const dir = path.dirname(file);
  const outAbs = path.resolve(out);
  const skip = new Set(['.git', 'node_modules', '.render']);
  const directoryContents = [];
  const collect = d => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (skip.has(entry.name) || full === outAbs) continue;
      if (entry.isDirectory()) collect(full);
      else if (entry.isFile() && full !== file) {
        directoryContents.push({
          path: path.relative(dir, full).split(path.sep).join('/'),
          base64Content: fs.readFileSync(full).toString('base64'),
        });
      }
    }
  };
  collect(dir);

  const { status, body } = await scaffolder.dryRun({
    template,
    values,
    secrets: {},
    directoryContents,
  });
  if (status !== 200) {
    for (const e of body.errors ?? []) {
      messages.push(
        `${path.relative(process.cwd(), valuesFile)}: ${
          String(e.property ?? '').replace(/^instance\.?/, 'values.') ||
          'values'
        }: ${e.message}`,
      );
    }
    if (body.error) {
      messages.push(`dry run failed (${status}): ${body.error.message}`);
    }
    if (!messages.length) messages.push(`dry run failed (${status})`);
    return { ok: false, messages };
  }

  // Only ever replace a directory this command wrote.
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
  for (const f of body.directoryContents ?? []) {
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
  const steps = (body.steps ?? []).map(st => st.id).join(' -> ');
  messages.push(
    `rendered ${
      (body.directoryContents ?? []).length
    } file(s) into ${out} (dry run: ${steps})`,
  );
  for (const link of body.output?.links ?? []) {
    messages.push(
      `  output link ${link.title ?? ''}: ${link.url ?? link.entityRef ?? ''}`,
    );
  }
  return { ok: true, messages };
}

function format(problem, cwd) {
  const where = [
    path.relative(cwd, problem.file) || problem.file,
    problem.line,
    problem.column,
  ]
    .filter(x => x !== undefined)
    .join(':');
  const step = problem.step ? `step "${problem.step}" ` : '';
  return `${where}: ${problem.severity}: ${step}${problem.field}: ${problem.message}`;
}

const USAGE = `usage: validate-template [options] <template.yaml>...

  --backend URL      read the installed actions from a running backend
                     (GET URL/api/scaffolder/v2/actions); on the embedded
                     default a guest token is fetched automatically
  --token TOKEN      Backstage token for --backend (or BACKSTAGE_TOKEN)
  --render VALUES    also render the template with these form values (YAML
                     or JSON) through the scaffolder's dry-run API: every step
                     runs in dry-run mode, nothing is published
  --out DIR          where --render writes the files (default
                     <tmp>/validate-template-<template directory name>)
  --json             print the problems as JSON
  --strict           treat warnings as errors

Without --backend, the actions are those of the scaffolder plugin and modules
that packages/backend/src/index.ts adds, loaded in this process with the
sample organisation (templates/sample-org) and examples/ as the catalog.`;

export async function main(argv) {
  const files = [];
  let backend;
  let token;
  let renderValues;
  let out;
  let json = false;
  let strict = false;
  const value = (a, i) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--'))
      throw new Error(`${a} needs a value`);
    return v;
  };
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--backend') backend = value(a, i++);
      else if (a === '--token') token = value(a, i++);
      else if (a === '--render') renderValues = path.resolve(value(a, i++));
      else if (a === '--out') out = path.resolve(value(a, i++));
      else if (a === '--json') json = true;
      else if (a === '--strict') strict = true;
      else if (a === '-h' || a === '--help') {
        console.log(USAGE);
        return 0;
      } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
      else files.push(path.resolve(a));
    }
    if (!files.length) throw new Error('no template given');
    if (renderValues && files.length !== 1)
      throw new Error('--render takes one template');
  } catch (e) {
    console.error(`validate-template: ${e.message}\n\n${USAGE}`);
    return 2;
  }

  let scaffolder;
  try {
    scaffolder = await openScaffolder({ backend, token });
  } catch (e) {
    console.error(
      `validate-template: cannot reach the scaffolder: ${e.message}`,
    );
    return 2;
  }
  try {
    const results = await validateFiles(files, scaffolder);
    const all = results.flatMap(r => r.problems);
    const errorCount = all.filter(p => p.severity === 'error').length;
    const failed = strict ? all.length > 0 : errorCount > 0;
    let rendered;
    if (renderValues && !failed) {
      rendered = await renderTemplate(
        scaffolder,
        files[0],
        renderValues,
        out ??
          path.join(
            os.tmpdir(),
            `validate-template-${path.basename(path.dirname(files[0]))}`,
          ),
      );
    }
    if (json) {
      console.log(
        JSON.stringify(
          {
            actionsFrom: scaffolder.source,
            actions: [...scaffolder.actions.keys()],
            results,
            ...(rendered ? { render: rendered } : {}),
          },
          null,
          2,
        ),
      );
    } else {
      for (const p of all) console.log(format(p, process.cwd()));
      for (const m of rendered?.messages ?? []) console.log(m);
      console.error(
        `validate-template: ${
          files.length
        } template(s), ${errorCount} error(s), ${
          all.length - errorCount
        } warning(s); ${scaffolder.actions.size} actions from ${
          scaffolder.source
        }`,
      );
    }
    return failed || (rendered && !rendered.ok) ? 1 : 0;
  } finally {
    await scaffolder.close();
  }
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href
) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    e => {
      console.error(e);
      process.exit(2);
    },
  );
}
