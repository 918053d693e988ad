#!/usr/bin/env node
// Makes the sample services real projects on the embedded default: writes a
// bare repository <gitDir>/<name>.git for each of them, in the layout of
// plugins/local-git-node (branch main, read-only over HTTP, a `description`),
// holding examples/sample-repositories/<name>/ as the first commit and the
// later commits of examples/sample-repositories/history.yaml: settings
// changes, and the Maven project templates/kotlin-spring-service renders for
// the service. The catalog reads the services from there
// (examples/sample-projects.yaml), the deployments backend takes their
// settings and history from the commits, and the local runtime builds and
// runs them, so the sample services can be changed and deployed from the
// portal like projects created from the template.
//
//   node examples/seed-repositories.mjs <gitDir> [<baseUrl>]
//
// <gitDir>   pavedRoad.localGit.directory, e.g. .data/git
// <baseUrl>  pavedRoad.localGit.baseUrl (default
//            http://localhost:7007/api/local-git), written into each
//            entity's backstage.io/source-location
//
// Idempotent: a repository that exists is kept as it is (with whatever the
// portal committed since), so a second run changes nothing. Each one is
// built in a hidden directory and renamed into place, so the portal never
// sees half of one. Dates are relative to the run, so a fresh seed always
// shows a recent history. Needs Node 22, the `git` binary and the
// repository's `yaml` and `nunjitsu` packages; no Maven (the build happens
// when the service is deployed).

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTemplateRenderer } from 'nunjitsu';
import { isMap, parse, parseAllDocuments, parseDocument } from 'yaml';

const EXAMPLES = path.dirname(fileURLToPath(import.meta.url));
const SOURCES = path.join(EXAMPLES, 'sample-repositories');
const TEMPLATES = path.join(EXAMPLES, '../templates');
// The templates a history commit may render, with the values their
// fetch:template step passes for a sample service.
const TEMPLATE_VALUES = { 'kotlin-spring-service': kotlinServiceValues };
// This portal's people: the sample organisation of @paved-road/templates and
// the users only this portal has.
const ORG_FILES = [
  path.join(EXAMPLES, '../templates/sample-org/org.yaml'),
  path.join(EXAMPLES, 'portal-users.yaml'),
];

export const DEFAULT_BASE_URL = 'http://localhost:7007/api/local-git';
const BRANCH = 'main';
const CATALOG_INFO = 'catalog-info.yaml';
const DESCRIPTOR = 'deploy/paved-road.yaml';
const SOURCE_LOCATION = 'backstage.io/source-location';
const DAY_MS = 24 * 60 * 60 * 1000;
// The names plugins/local-git-node accepts.
const REPO_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * Writes every sample repository that is missing under `directory`.
 * Returns what happened to each: `created` (with its commits, oldest first)
 * or `kept`.
 */
export async function seedRepositories({
  directory,
  baseUrl = DEFAULT_BASE_URL,
  now = new Date(),
}) {
  const base = checkBaseUrl(baseUrl);
  const { users, groups } = await readOrg();
  const history = await readHistory();
  const results = [];
  for (const [name, commits] of Object.entries(history)) {
    const target = path.join(directory, `${name}.git`);
    if (await exists(target)) {
      results.push({ name, status: 'kept' });
      continue;
    }
    await fs.mkdir(directory, { recursive: true });
    // Hidden (leading dot) until complete: the local git hosting lists only
    // valid names.
    const tmp = await fs.mkdtemp(path.join(directory, `.tmp-${name}-`));
    try {
      const shas = await buildRepository(tmp, {
        name,
        commits,
        users,
        groups,
        baseUrl: base,
        now,
      });
      try {
        await fs.rename(tmp, target);
        results.push({ name, status: 'created', commits: shas });
      } catch (error) {
        // A concurrent run created it first: theirs is kept.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') {
          throw error;
        }
        results.push({ name, status: 'kept' });
      }
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }
  return results;
}

async function buildRepository(gitDir, options) {
  const { name, commits, users, groups, baseUrl, now } = options;
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), `seed-${name}-`));
  const work = path.join(scratch, 'tree');
  const gitDirArg = `--git-dir=${gitDir}`;
  try {
    await git([
      'init',
      '--quiet',
      '--bare',
      `--initial-branch=${BRANCH}`,
      '--template=',
      gitDir,
    ]);
    // Read-only hosting, as plugins/local-git-node creates repositories.
    await git([gitDirArg, 'config', 'http.receivepack', 'false']);

    await fs.cp(path.join(SOURCES, name), work, { recursive: true });
    const description = await pointSourceLocation(work, name, baseUrl);
    await fs.writeFile(path.join(gitDir, 'description'), `${description}\n`);

    const shas = [];
    let previousDate = -Infinity;
    for (const [i, commit] of commits.entries()) {
      const where = `${name} commit ${i + 1}`;
      if (i === 0 && commit.settings) {
        throw new Error(
          `${where}: the first commit's settings are those of ${name}/${DESCRIPTOR}; leave settings out`,
        );
      }
      if (i > 0) {
        if (Boolean(commit.settings) === Boolean(commit.template)) {
          throw new Error(
            `${where}: a later commit needs either settings or a template`,
          );
        }
        if (commit.settings) {
          await editSettings(
            path.join(work, DESCRIPTOR),
            commit.settings,
            where,
          );
        } else {
          await addRenderedTemplate(work, commit.template, {
            name,
            groups,
            baseUrl,
            where,
          });
        }
      }
      const author = users.get(commit.author);
      if (!author) {
        throw new Error(
          `${where}: author ${commit.author} is not a User with a profile e-mail in templates/sample-org/org.yaml or examples/portal-users.yaml`,
        );
      }
      if (typeof commit.daysAgo !== 'number' || !(commit.daysAgo >= 0)) {
        throw new Error(`${where}: daysAgo must be a number >= 0`);
      }
      const date = Math.floor((now.getTime() - commit.daysAgo * DAY_MS) / 1000);
      if (date < previousDate) {
        throw new Error(`${where}: is older than the commit before it`);
      }
      previousDate = date;
      if (!commit.message?.trim()) {
        throw new Error(`${where}: message is required`);
      }

      const env = {
        // A throwaway index: a bare repository has none.
        GIT_INDEX_FILE: path.join(scratch, 'index'),
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: `@${date} +0000`,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_COMMITTER_DATE: `@${date} +0000`,
      };
      await git([gitDirArg, `--work-tree=${work}`, 'add', '--all'], { env });
      const tree = await git([gitDirArg, 'write-tree'], { env });
      const parent = shas.length ? ['-p', shas[shas.length - 1]] : [];
      shas.push(
        await git([gitDirArg, 'commit-tree', tree, ...parent, '-F', '-'], {
          env,
          input: `${commit.message.trim()}\n`,
        }),
      );
    }
    if (shas.length === 0) {
      throw new Error(`${name}: history.yaml lists no commits`);
    }
    await git([gitDirArg, 'update-ref', `refs/heads/${BRANCH}`, shas.at(-1)]);
    return shas;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Points every entity's source-location at this repository under `baseUrl`
 * and returns the Component's description. The file is rewritten only when
 * that changes a value, so with the default base URL it stays byte for byte
 * as written in examples/.
 */
async function pointSourceLocation(work, name, baseUrl) {
  const file = path.join(work, CATALOG_INFO);
  const text = await fs.readFile(file, 'utf8');
  const docs = parseAllDocuments(text);
  const location = `url:${baseUrl}/${name}.git`;
  let component;
  let changed = false;
  for (const doc of docs) {
    if (doc.errors?.length) {
      throw new Error(`${name}/${CATALOG_INFO}: ${doc.errors[0].message}`);
    }
    const entity = doc.toJS();
    if (entity?.kind === 'Component' && entity.metadata?.name === name) {
      component = entity;
    }
    if (entity?.metadata?.annotations?.[SOURCE_LOCATION] !== location) {
      doc.setIn(['metadata', 'annotations', SOURCE_LOCATION], location);
      changed = true;
    }
  }
  if (!component?.metadata?.annotations?.['paved-road.io/deployment']) {
    throw new Error(
      `${name}/${CATALOG_INFO} needs a Component named ${name} with a paved-road.io/deployment annotation`,
    );
  }
  if (changed) {
    await fs.writeFile(file, docs.map(d => d.toString()).join(''));
  }
  return (component.metadata.description ?? name).replace(/\s+/g, ' ').trim();
}

/**
 * Sets the descriptor's spec to `settings` the way the portal does: only the
 * values that differ are touched, so comments and key order stay.
 */
async function editSettings(file, settings, where) {
  const text = await fs.readFile(file, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new Error(`${where}: ${DESCRIPTOR} is not a YAML mapping`);
  }
  applyValue(doc, ['spec'], doc.toJS().spec, settings);
  const next = doc.toString();
  if (next === text) {
    throw new Error(`${where}: settings do not change ${DESCRIPTOR}`);
  }
  await fs.writeFile(file, next);
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function applyValue(doc, at, current, next) {
  if (isPlainObject(next) && isPlainObject(current)) {
    for (const [key, value] of Object.entries(next)) {
      applyValue(doc, [...at, key], current[key], value);
    }
    return;
  }
  if (Array.isArray(next) && Array.isArray(current)) {
    next.forEach((item, i) => {
      if (i < current.length) {
        applyValue(doc, [...at, i], current[i], item);
      } else {
        doc.addIn(at, item);
      }
    });
    for (let i = current.length - 1; i >= next.length; i--) {
      doc.deleteIn([...at, i]);
    }
    return;
  }
  if (JSON.stringify(current) !== JSON.stringify(next)) {
    doc.setIn(at, next);
  }
}

/**
 * Adds the files `templates/<template>/skeleton` renders for this service
 * that the repository lacks, rendered as the scaffolder's fetch:template
 * renders them (the same nunjitsu engine and options): its catalog-info.yaml,
 * README.md and deployment settings stay as they are.
 */
async function addRenderedTemplate(work, template, options) {
  const { where } = options;
  const valuesOf = Object.hasOwn(TEMPLATE_VALUES, template)
    ? TEMPLATE_VALUES[template]
    : undefined;
  if (!valuesOf) {
    throw new Error(
      `${where}: template must be one of ${Object.keys(TEMPLATE_VALUES).join(
        ', ',
      )}; got ${JSON.stringify(template)}`,
    );
  }
  const values = await valuesOf(work, options);
  const renderer = createTemplateRenderer({ allowRegexExecution: true });
  const context = renderer.prepareContext({ values });
  const skeleton = path.join(TEMPLATES, template, 'skeleton');
  const entries = await fs.readdir(skeleton, {
    recursive: true,
    withFileTypes: true,
  });
  for (const entry of entries.filter(e => e.isFile())) {
    const source = path.join(entry.parentPath, entry.name);
    const file = renderer.render(
      path.relative(skeleton, source).split(path.sep).join('/'),
      context,
    );
    // A name that renders empty leaves the file out, as in fetch:template.
    if (file === '' || file.startsWith('/') || file.includes('//')) {
      continue;
    }
    const target = path.join(work, file);
    if (!target.startsWith(work + path.sep)) {
      throw new Error(`${where}: ${template} renders ${file} outside the tree`);
    }
    if (await exists(target)) {
      continue;
    }
    const content = await fs.readFile(source);
    const { mode } = await fs.stat(source);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(
      target,
      content.includes(0)
        ? content
        : renderer.render(content.toString('utf8'), context),
      { mode },
    );
  }
  if (!(await exists(path.join(work, 'pom.xml')))) {
    throw new Error(`${where}: ${template} rendered no pom.xml`);
  }
}

/**
 * What templates/kotlin-spring-service passes to fetch:template for this
 * service had it been created from the template, with its catalog entity
 * and current settings as the form's answers: the owning team, its
 * business unit (what paved-road:cost-center:resolve answers), the
 * repository paved-road:publish:plan plans on local git, and the default
 * build values.
 */
async function kotlinServiceValues(work, { name, groups, baseUrl, where }) {
  const component = await readComponent(work, name);
  const owner = qualify(component.spec?.owner, 'group');
  const ownerName = owner.split('/')[1];
  const team = groups.get(owner);
  const businessUnit = team?.parent && qualify(team.parent, 'group');
  if (groups.get(businessUnit)?.type !== 'business-unit') {
    throw new Error(
      `${where}: owner ${owner} is not a team of a business unit in templates/sample-org/org.yaml`,
    );
  }
  const settings = parse(
    await fs.readFile(path.join(work, DESCRIPTOR), 'utf8'),
  )?.spec;
  const basePackage = `com.example.${name.replaceAll('-', '')}`;
  return {
    name,
    description: component.metadata.description ?? name,
    owner,
    ownerName,
    system: component.spec?.system
      ? qualify(component.spec.system, 'system')
      : '',
    costCenter: component.metadata.annotations['paved-road.io/cost-center'],
    businessUnit,
    groupId: 'com.example',
    basePackage,
    basePackagePath: basePackage.replaceAll('.', '/'),
    javaVersion: '17',
    repoUrl: `${baseUrl}/${name}.git`,
    repoSlug: name,
    templateRef: 'template:default/kotlin-spring-service',
    deployment: settings,
  };
}

async function readComponent(work, name) {
  const text = await fs.readFile(path.join(work, CATALOG_INFO), 'utf8');
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .find(e => e?.kind === 'Component' && e.metadata?.name === name);
}

/** `checkout` -> `group:default/checkout`; a full ref stays. */
function qualify(ref, kind) {
  if (typeof ref !== 'string' || !ref) {
    return '';
  }
  const withKind = ref.includes(':') ? ref : `${kind}:${ref}`;
  return withKind.includes('/') ? withKind : withKind.replace(':', ':default/');
}

/**
 * Users (`user:default/<name>` -> the git identity of its profile) and
 * groups (`group:default/<name>` -> its type and parent).
 */
async function readOrg() {
  const users = new Map();
  const groups = new Map();
  const docs = [];
  for (const file of ORG_FILES) {
    docs.push(...parseAllDocuments(await fs.readFile(file, 'utf8')));
  }
  for (const doc of docs) {
    const entity = doc.toJS();
    const profile = entity?.spec?.profile;
    if (entity?.kind === 'User' && profile?.email) {
      users.set(`user:default/${entity.metadata.name}`, {
        name: profile.displayName ?? entity.metadata.name,
        email: profile.email,
      });
    }
    if (entity?.kind === 'Group') {
      groups.set(`group:default/${entity.metadata.name}`, {
        type: entity.spec?.type,
        parent: entity.spec?.parent,
      });
    }
  }
  return { users, groups };
}

async function readHistory() {
  const file = path.join(SOURCES, 'history.yaml');
  const { repositories } = parse(await fs.readFile(file, 'utf8')) ?? {};
  if (!isPlainObject(repositories)) {
    throw new Error(`${file}: repositories must map names to commits`);
  }
  for (const [name, commits] of Object.entries(repositories)) {
    if (!REPO_NAME.test(name) || name.includes('..')) {
      throw new Error(
        `${file}: ${JSON.stringify(name)} is not a repository name`,
      );
    }
    if (!Array.isArray(commits)) {
      throw new Error(`${file}: ${name} must list its commits`);
    }
  }
  return repositories;
}

function checkBaseUrl(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new Error(
      `baseUrl must be an http(s) URL; got ${JSON.stringify(value)}`,
    );
  }
  return value.replace(/\/+$/, '');
}

async function exists(file) {
  return Boolean(await fs.stat(file).catch(() => null));
}

// The operator's git configuration and GIT_* variables (GIT_DIR from a
// hook, say) must not change what is written: both are ignored.
function git(args, { env = {}, input } = {}) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')),
  );
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        env: {
          ...base,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `git ${args.find(a => !a.startsWith('--'))} failed: ${
                stderr.trim() || error.message
              }`,
            ),
          );
        } else {
          resolve(stdout.trim());
        }
      },
    );
    child.stdin.end(input);
  });
}

async function main(argv) {
  const [directory, baseUrl, ...rest] = argv;
  if (!directory || directory.startsWith('-') || rest.length > 0) {
    console.error(
      'usage: node examples/seed-repositories.mjs <gitDir> [<baseUrl>]',
    );
    process.exit(2);
  }
  const results = await seedRepositories({
    directory: path.resolve(directory),
    baseUrl: baseUrl ?? DEFAULT_BASE_URL,
  });
  for (const r of results) {
    console.log(
      r.status === 'created'
        ? `created ${directory}/${r.name}.git (${r.commits.length} ${
            r.commits.length === 1 ? 'commit' : 'commits'
          })`
        : `kept ${directory}/${r.name}.git`,
    );
  }
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href
) {
  main(process.argv.slice(2)).catch(error => {
    console.error(`seed-repositories: ${error.message}`);
    process.exit(1);
  });
}
