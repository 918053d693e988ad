import { ChangelogEntry } from '@paved-road/plugin-templates-common';
import semver from 'semver';

// `## 1.1.0`, `## [1.1.0]`, `## v1.1.0 - 2026-01-05`, `## [1.1.0] - 2026-01-05`
const HEADING = /^##[ \t]+\[?v?([^\]\s]+)\]?(?:[ \t].*)?$/;

/**
 * The sections of a template's `CHANGELOG.md`, one per `## <version>`
 * heading whose version is valid semver, in the file's order. Text before
 * the first such heading (the title) is not part of any section; a heading
 * that names no version ends the section before it and is skipped.
 *
 * @public
 */
export function parseChangelog(markdown: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { version: string; lines: string[] } | undefined;
  const close = () => {
    if (current) {
      entries.push({
        version: current.version,
        body: current.lines.join('\n').trim(),
      });
    }
    current = undefined;
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (/^##[ \t]/.test(line)) {
      close();
      const version = semver.valid(HEADING.exec(line)?.[1] ?? '');
      if (version) {
        current = { version, lines: [] };
      }
      continue;
    }
    // A level-1 heading would start another document; stop the section.
    if (/^#[ \t]/.test(line)) {
      close();
      continue;
    }
    current?.lines.push(line);
  }
  close();
  return entries;
}

/**
 * The changelog sections after `from` up to and including `to`, newest
 * first: what an upgrade from `from` to `to` brings. Empty when either is
 * not a semver version (a `sha256:` content hash has no changelog).
 *
 * @public
 */
export function changelogBetween(
  markdown: string,
  from: string | undefined,
  to: string,
): ChangelogEntry[] {
  const upper = semver.valid(to);
  const lower = from === undefined ? undefined : semver.valid(from);
  if (!upper || (from !== undefined && !lower)) {
    return [];
  }
  return parseChangelog(markdown)
    .filter(
      entry =>
        semver.lte(entry.version, upper) &&
        (!lower || semver.gt(entry.version, lower)),
    )
    .sort((a, b) => semver.rcompare(a.version, b.version));
}
