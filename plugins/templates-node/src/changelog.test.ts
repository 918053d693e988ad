import { changelogBetween, parseChangelog } from './changelog';

const CHANGELOG = `# Changelog of kotlin-spring-service

Every version projects can upgrade to.

## [1.2.0] - 2026-02-01

- Spring Boot 3.5.

## Unreleased notes

Not a version: skipped.

## 1.1.0

- Adds \`SECURITY.md\`.
- Bumps the Kotlin plugin.

### Upgrading

Nothing to do.

## v1.0.0 - 2026-01-05

First version.
`;

describe('parseChangelog', () => {
  it('reads one section per semver heading, in both heading styles', () => {
    expect(parseChangelog(CHANGELOG)).toEqual([
      { version: '1.2.0', body: '- Spring Boot 3.5.' },
      {
        version: '1.1.0',
        body: '- Adds `SECURITY.md`.\n- Bumps the Kotlin plugin.\n\n### Upgrading\n\nNothing to do.',
      },
      { version: '1.0.0', body: 'First version.' },
    ]);
  });

  it('is empty for a file without version headings', () => {
    expect(parseChangelog('# Changelog\n\nNothing yet.\n')).toEqual([]);
  });
});

describe('changelogBetween', () => {
  it('gives the sections after from up to to, newest first', () => {
    expect(
      changelogBetween(CHANGELOG, '1.0.0', '1.2.0').map(e => e.version),
    ).toEqual(['1.2.0', '1.1.0']);
    expect(
      changelogBetween(CHANGELOG, '1.0.0', '1.1.0').map(e => e.version),
    ).toEqual(['1.1.0']);
    expect(changelogBetween(CHANGELOG, '1.2.0', '1.2.0')).toEqual([]);
  });

  it('orders by version, not by the order of the file', () => {
    const shuffled = '## 1.0.1\n\na\n\n## 1.3.0\n\nc\n\n## 1.2.0\n\nb\n';
    expect(
      changelogBetween(shuffled, '1.0.0', '2.0.0').map(e => e.version),
    ).toEqual(['1.3.0', '1.2.0', '1.0.1']);
  });

  it('is empty when a version is a content hash', () => {
    expect(changelogBetween(CHANGELOG, 'sha256:abc', '1.2.0')).toEqual([]);
    expect(changelogBetween(CHANGELOG, '1.0.0', 'sha256:abc')).toEqual([]);
  });

  it('without a from version, gives every section up to to', () => {
    expect(
      changelogBetween(CHANGELOG, undefined, '1.1.0').map(e => e.version),
    ).toEqual(['1.1.0', '1.0.0']);
  });
});
