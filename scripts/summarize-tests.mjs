// Prints one closing line for the whole suite from Jest's and Playwright's
// JSON reports, plus how many database tests ran on each engine.
import { readFileSync } from 'node:fs';

const [jestFile, e2eFile] = process.argv.slice(2);
const jest = JSON.parse(readFileSync(jestFile, 'utf8'));
const e2e = JSON.parse(readFileSync(e2eFile, 'utf8'));

const titles = jest.testResults.flatMap(file =>
  file.assertionResults.map(a => ({ ...a, name: a.fullName })),
);
for (const engine of ['SQLITE_3', 'POSTGRES_15']) {
  const ran = titles.filter(
    t => t.name.includes(engine) && t.status === 'passed',
  );
  console.log(`database tests on ${engine}: ${ran.length} passed`);
}

const s = e2e.stats;
console.log(
  `browser tests: ${s.expected} passed, ${s.unexpected} failed, ${s.flaky} flaky`,
);
const passed = jest.numPassedTests + s.expected + s.flaky;
const failed = jest.numFailedTests + s.unexpected;
const skipped = jest.numPendingTests + s.skipped;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
