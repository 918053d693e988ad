#!/usr/bin/env node
// Compares the install sections of the plugins' READMEs with the stock-app
// fixture, so that the README and the app the adoption test builds cannot
// drift apart:
//   node scripts/lib/check-stock-app.mjs [fixture-dir]
// - `yarn --cwd packages/<app|backend> add <packages>` lines in the READMEs
//   of plugins (library packages come in as dependencies): each package is a
//   dependency of that fixture package. `packages/app` means both apps, or
//   one of them under a heading that names its frontend system;
// - a fenced block after `<!-- stock-app: <system> <file> -->`: its lines
//   appear in that fixture file in the same order (blank lines and `...`
//   lines skipped). <system> is `backend`, `new` (packages/app), `legacy`
//   (the same path under packages/app-legacy) or `config` (a YAML block
//   whose keys and values the fixture's file must contain).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

const root = new URL('../..', import.meta.url).pathname;
const fixture = process.argv[2] ?? join(root, 'adoption/stock-app');
const SYSTEMS = ['backend', 'new', 'legacy', 'config'];
const APPS = { 'packages/app': ['packages/app', 'packages/app-legacy'] };

const readmes = [
  ...readdirSync(join(root, 'plugins')).map(d => join('plugins', d, 'README.md')),
  'templates/README.md',
].filter(file => existsSync(join(root, file)));

const LIBRARY_ROLES = ['common-library', 'node-library', 'web-library'];
function isLibrary(readme) {
  const manifest = join(root, readme, '../package.json');
  const role = existsSync(manifest)
    ? JSON.parse(readFileSync(manifest, 'utf8')).backstage?.role
    : undefined;
  return LIBRARY_ROLES.includes(role);
}

const problems = [];
let checked = 0;

function fixturePath(system, file) {
  if (system === 'legacy' && file.startsWith('packages/app/')) {
    return file.replace('packages/app/', 'packages/app-legacy/');
  }
  return file;
}

function readFixture(file) {
  const path = join(fixture, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * Fenced blocks with their language, first line number, the marker before
 * them and the heading they are under.
 */
function* blocks(text) {
  const lines = text.split('\n');
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    if (/^#+ /.test(lines[i])) heading = lines[i];
    const open = lines[i].match(/^\s*```(\w*)/);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) {
      body.push(lines[i]);
    }
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = lines[before]?.match(/^<!--\s*stock-app:\s*(\S+)\s+(\S+)\s*-->$/);
    yield { lang: open[1], line: start + 1, body, marker, heading };
  }
}

function checkYarnAdd(readme, block) {
  for (const line of block.body) {
    const add = line.match(/^\s*yarn --cwd (packages\/\S+) add (.+)$/);
    if (!add) continue;
    let targets = APPS[add[1]] ?? [add[1]];
    if (add[1] === 'packages/app' && /legacy/i.test(block.heading)) {
      targets = ['packages/app-legacy'];
    } else if (add[1] === 'packages/app' && /new frontend/i.test(block.heading)) {
      targets = ['packages/app'];
    }
    for (const pkg of add[2].trim().split(/\s+/)) {
      for (const target of targets) {
        checked++;
        const manifest = readFixture(join(target, 'package.json'));
        const deps = manifest ? JSON.parse(manifest).dependencies ?? {} : {};
        if (!(pkg.replace(/@[^@/]+$/, '') in deps)) {
          problems.push(
            `${readme}:${block.line}: ${pkg} is not a dependency of ${target}/package.json`,
          );
        }
      }
    }
  }
}

const isSkipped = line =>
  line === '' || /^(\.\.\.|\/\/ \.\.\.|\{\/\* \.\.\. \*\/\}|# \.\.\.)$/.test(line);

function checkExcerpt(readme, block, file) {
  const text = readFixture(file);
  if (text === undefined) {
    problems.push(`${readme}:${block.line}: ${file} does not exist in the fixture`);
    return;
  }
  const fixtureLines = text.split('\n').map(l => l.trim());
  let at = 0;
  for (const raw of block.body) {
    const line = raw.trim();
    if (isSkipped(line)) continue;
    checked++;
    const found = fixtureLines.indexOf(line, at);
    if (found < 0) {
      const anywhere = fixtureLines.includes(line);
      problems.push(
        `${readme}:${block.line}: ${file} ${anywhere ? 'has, but not in this order,' : 'lacks'} the line: ${line}`,
      );
      continue;
    }
    at = found + 1;
  }
}

/** Whether `actual` holds every key and value of `expected`. */
function contains(actual, expected, path, report) {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return report(`${path} is not a list`);
    for (const item of expected) {
      checked++;
      const quiet = [];
      if (!actual.some(a => contains(a, item, path, m => quiet.push(m)) === true)) {
        report(`${path} has no item matching ${JSON.stringify(item)}`);
      }
    }
    return true;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return report(`${path} is missing`);
    let ok = true;
    for (const [key, value] of Object.entries(expected)) {
      const child = path ? `${path}.${key}` : key;
      if (!(key in actual)) {
        report(`${child} is missing`);
        ok = false;
      } else if (contains(actual[key], value, child, report) !== true) {
        ok = false;
      }
    }
    return ok;
  }
  checked++;
  if (actual !== expected) {
    return report(`${path} is ${JSON.stringify(actual)}, the README says ${JSON.stringify(expected)}`);
  }
  return true;
}

function checkConfig(readme, block, file) {
  const text = readFixture(file);
  if (text === undefined) {
    problems.push(`${readme}:${block.line}: ${file} does not exist in the fixture`);
    return;
  }
  contains(parse(text), parse(block.body.join('\n')), '', message => {
    problems.push(`${readme}:${block.line}: ${file}: ${message}`);
    return false;
  });
}

for (const readme of readmes) {
  const text = readFileSync(join(root, readme), 'utf8');
  const library = isLibrary(readme);
  for (const block of blocks(text)) {
    if (['bash', 'sh', 'shell'].includes(block.lang) && !library) {
      checkYarnAdd(readme, block);
    }
    if (!block.marker) continue;
    const [, system, file] = block.marker;
    if (!SYSTEMS.includes(system)) {
      problems.push(`${readme}:${block.line}: unknown system "${system}" (one of ${SYSTEMS.join(', ')})`);
    } else if (system === 'config') {
      checkConfig(readme, block, file);
    } else {
      checkExcerpt(readme, block, fixturePath(system, file));
    }
  }
}

const where = relative(process.cwd(), fixture) || '.';
if (problems.length > 0) {
  console.error(`The READMEs and the stock app in ${where} disagree:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`READMEs and ${where} agree (${checked} lines and keys checked in ${readmes.length} READMEs)`);
