import {
  ChangelogEntry,
  MergeConflict,
  UpgradeJob,
} from '@paved-road/plugin-templates-common';

/** GitHub refuses pull request bodies longer than this. */
export const MAX_PULL_REQUEST_BODY = 65_536;

/** What to do about each kind of conflict git reports. */
const CONFLICT_ADVICE: Record<MergeConflict['type'], string> = {
  content:
    'Both sides changed the same lines: pick from the conflict markers and remove them.',
  'modify/delete':
    "One side deleted the file, the other changed it (the changed version is kept): delete it again if you don't need it.",
  'add/add':
    'Both sides added this file: merge the two versions in the conflict markers.',
  rename:
    'Renamed differently on each side: keep one name and move the content there.',
  binary:
    "A binary file both sides changed: keep the team's or the template's.",
  other: "See git's message and settle it by hand.",
};

/** The pull request of an upgrade: its title. */
export function pullRequestTitle(
  job: Pick<UpgradeJob, 'templateRef' | 'toVersion'>,
  conflicts: MergeConflict[],
): string {
  const name = job.templateRef.replace(/^template:(default\/)?/, '');
  const n = conflicts.length;
  return `Upgrade to ${name} ${job.toVersion}${
    n > 0 ? ` (${n} conflict${n === 1 ? '' : 's'})` : ''
  }`;
}

/**
 * The body of an upgrade's pull request: from which version to which,
 * the changelog between them, a table of the conflicts and how to merge.
 * Cut to GitHub's limit with the job marker kept, so a re-run finds it.
 */
export function pullRequestBody(options: {
  job: Pick<UpgradeJob, 'id' | 'templateRef' | 'fromVersion' | 'toVersion'>;
  changelog: ChangelogEntry[];
  conflicts: MergeConflict[];
  branch: string;
}): string {
  const { job, changelog, conflicts, branch } = options;
  const marker = `<!-- paved-road-upgrade job=${job.id} -->`;
  const parts: string[] = [
    `Upgrades this project from \`${job.templateRef}\` **${job.fromVersion}** to **${job.toVersion}**: the new version of the template, rendered with the answers in \`.paved-road/answers.yaml\`, merged with git's three-way merge against the \`paved-road/template\` branch. Changes the team made and the template did not stay as they are.`,
  ];
  if (conflicts.length > 0) {
    parts.push(
      [
        `### ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}`,
        '',
        'These files hold conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`) where the team and the template changed the same place. Resolve them on this branch before merging:',
        '',
        '| File | Conflict | What to do |',
        '| --- | --- | --- |',
        ...conflicts.map(
          c =>
            `| \`${cell(c.path)}\` | ${c.type} | ${cell(
              CONFLICT_ADVICE[c.type],
            )} |`,
        ),
        '',
        '```sh',
        `git fetch origin ${branch} && git checkout ${branch}`,
        '```',
      ].join('\n'),
    );
  } else {
    parts.push('The merge had no conflicts.');
  }
  parts.push(
    [
      '### How to merge',
      '',
      "**Merge with a merge commit, not squash or rebase.** The merge commit links the project to the template branch, so the next upgrade only brings what changed after this one; a squashed merge loses that link and the next upgrade re-applies this one's changes.",
    ].join('\n'),
  );
  if (changelog.length > 0) {
    parts.push(
      [
        '### Changelog',
        ...changelog.map(e => `#### ${e.version}\n\n${e.body}`),
      ].join('\n\n'),
    );
  }
  const body = `${parts.join('\n\n')}\n\n${marker}\n`;
  if (body.length <= MAX_PULL_REQUEST_BODY) {
    return body;
  }
  const cut = '\n\n… (cut to fit GitHub’s limit)';
  const tail = `${cut}\n\n${marker}\n`;
  return `${body.slice(0, MAX_PULL_REQUEST_BODY - tail.length)}${tail}`;
}

/** A markdown table cell: no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
