import { PassThrough } from 'node:stream';
import type {
  TemplateFleet,
  UpgradeJob,
} from '@paved-road/plugin-templates-common';
import { Output } from '../lib/output';
import { jobSummary, printFleet, printUpgradeOutcome } from './upgrades';

/** An Output writing to strings, as a run without a terminal prints. */
function capture(format: 'table' | 'json' = 'table') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', chunk => chunks.push(String(chunk)));
  const out = new Output(
    format,
    stdout as unknown as NodeJS.WriteStream,
    stderr as unknown as NodeJS.WriteStream,
  );
  return { out, text: () => chunks.join('') };
}

const job: UpgradeJob = {
  id: '5b1f2c9e-0000-4000-8000-000000000001',
  entityRef: 'component:default/orders-api',
  templateRef: 'template:default/kotlin-spring-service',
  fromVersion: '1.0.0',
  toVersion: '1.1.0',
  status: 'succeeded',
  outcome: 'clean',
  requestedBy: 'user:default/guest',
  createdAt: '2026-12-07T18:00:00.000Z',
  finishedAt: '2026-12-07T18:00:04.000Z',
  result: {
    branch: 'paved-road/upgrade-1.1.0',
    templateCommit: 'a'.repeat(40),
    commit: 'b'.repeat(40),
    cloneUrl: 'http://localhost:7007/api/local-git/orders-api.git',
    compareUrl:
      'http://localhost:7007/api/local-git/orders-api.git/compare/main...paved-road/upgrade-1.1.0',
    conflicts: [],
    changedFiles: [
      { path: 'pom.xml', status: 'M' },
      { path: 'docs/operations.md', status: 'A' },
    ],
  },
};

describe('printUpgradeOutcome', () => {
  it('prints a clean upgrade with its branch, the clone command and the changed files', () => {
    const { out, text } = capture();
    printUpgradeOutcome(out, job);

    expect(text().split('\n')).toEqual([
      '✔ Upgraded component:default/orders-api to 1.1.0 in 4.0s: a clean merge',
      'Branch         paved-road/upgrade-1.1.0',
      'Clone          git clone -b paved-road/upgrade-1.1.0 http://localhost:7007/api/local-git/orders-api.git',
      `Compare        ${job.result!.compareUrl}`,
      'Changed files  2',
      '',
      'STATUS  CHANGED FILE',
      'M       pom.xml',
      'A       docs/operations.md',
      '',
    ]);
  });

  it('lists the conflicts with their files, and the pull request', () => {
    const { out, text } = capture();
    printUpgradeOutcome(out, {
      ...job,
      outcome: 'conflicts',
      result: {
        ...job.result!,
        pullRequestUrl: 'https://github.com/acme/orders-api/pull/7',
        conflicts: [
          {
            path: 'README.md',
            type: 'content',
            message: 'Merge conflict in README.md',
          },
        ],
      },
    });

    expect(text()).toContain(
      '⚠ Upgraded component:default/orders-api to 1.1.0 with conflicts in 1 file in 4.0s: resolve them on the branch before merging\n',
    );
    expect(text()).toContain(
      'Pull request   https://github.com/acme/orders-api/pull/7\n',
    );
    expect(text()).toMatch(
      /CONFLICT\s+FILE\s+MESSAGE\ncontent\s+README\.md\s+Merge conflict in README\.md\n/,
    );
  });

  it('says when there was nothing to merge, and why an upgrade failed', () => {
    const noChange = capture();
    printUpgradeOutcome(noChange.out, { ...job, outcome: 'no-change' });
    const failed = capture();
    printUpgradeOutcome(failed.out, {
      ...job,
      status: 'failed',
      outcome: undefined,
      result: undefined,
      error: 'the default branch moved during the upgrade',
    });

    expect(noChange.text()).toBe(
      '✔ Nothing to merge: template:default/kotlin-spring-service 1.1.0 renders the same files for component:default/orders-api as 1.0.0 in 4.0s\n',
    );
    expect(failed.text()).toBe(
      `✖ Upgrade ${job.id} of component:default/orders-api to 1.1.0 failed in 4.0s: the default branch moved during the upgrade\n`,
    );
  });

  it('prints nothing in JSON mode', () => {
    const { out, text } = capture('json');
    printUpgradeOutcome(out, job);
    expect(text()).toBe('');
  });
});

describe('printFleet', () => {
  it('prints the versions and one row per project with its version, what is available and its last upgrade', () => {
    const fleet: TemplateFleet = {
      templateRef: 'template:default/kotlin-spring-service',
      latestVersion: '1.1.0',
      versions: [
        { version: '1.0.0', count: 2 },
        { version: '1.1.0', count: 1 },
      ],
      projects: [
        {
          entityRef: 'component:default/orders-api',
          owner: 'group:default/checkout',
          version: '1.0.0',
          available: true,
          job: {
            ...job,
            outcome: 'conflicts',
            result: {
              ...job.result!,
              conflicts: [
                { path: 'README.md', type: 'content', message: 'conflict' },
                { path: 'pom.xml', type: 'content', message: 'conflict' },
              ],
            },
          },
        },
        {
          entityRef: 'component:default/billing-api',
          owner: 'group:default/checkout',
          version: '1.0.0',
          available: true,
        },
        {
          entityRef: 'component:default/fleet-tracker',
          owner: 'group:default/fleet',
          version: '1.1.0',
          available: false,
        },
      ],
    };
    const { out, text } = capture();
    printFleet(out, fleet);

    expect(text().split('\n')).toEqual([
      'template:default/kotlin-spring-service  latest version 1.1.0',
      'VERSION         PROJECTS',
      '1.0.0           2',
      '1.1.0 (latest)  1',
      '',
      'PROJECT        OWNER                   VERSION  AVAILABLE  LAST UPGRADE                            PULL REQUEST OR BRANCH',
      'orders-api     group:default/checkout  1.0.0    1.1.0      1.1.0: succeeded, conflicts in 2 files  paved-road/upgrade-1.1.0',
      'billing-api    group:default/checkout  1.0.0    1.1.0      -',
      'fleet-tracker  group:default/fleet     1.1.0    -          -',
      '',
    ]);
  });
});

describe('jobSummary', () => {
  it.each([
    [{ status: 'queued' }, 'queued'],
    [{ status: 'running' }, 'running'],
    [{ status: 'succeeded', outcome: 'clean' }, 'succeeded, clean merge'],
    [
      { status: 'succeeded', outcome: 'no-change' },
      'succeeded, nothing to merge',
    ],
    [{ status: 'failed', error: 'render failed' }, 'failed: render failed'],
  ] as const)('%j → %s', (state, summary) => {
    expect(jobSummary({ ...job, ...state } as UpgradeJob)).toBe(summary);
  });
});
