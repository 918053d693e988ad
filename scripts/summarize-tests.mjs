// Prints one closing line for the whole suite from Jest's and Playwright's
// JSON reports, plus how many database tests ran on each engine.
//   node scripts/summarize-tests.mjs <jest.json> <playwright.json>...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [jestFile, ...e2eFiles] = process.argv.slice(2);
const jest = JSON.parse(readFileSync(jestFile, 'utf8'));

const titles = jest.testResults.flatMap(file =>
  file.assertionResults.map(a => ({ ...a, name: a.fullName })),
);
for (const engine of ['SQLITE_3', 'POSTGRES_15']) {
  const ran = titles.filter(
    t => t.name.includes(engine) && t.status === 'passed',
  );
  console.log(`database tests on ${engine}: ${ran.length} passed`);
}

let passed = jest.numPassedTests;
let failed = jest.numFailedTests;
let skipped = jest.numPendingTests;
for (const file of e2eFiles) {
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  console.log(
    `browser tests (${basename(file, '.json')}): ${s.expected} passed, ${s.unexpected} failed, ${s.flaky} flaky`,
  );
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
