import {
  MAX_PULL_REQUEST_BODY,
  pullRequestBody,
  pullRequestTitle,
} from './pullRequestBody';
import { upgradeBranch } from './UpgradeRunner';

const job = {
  id: 'job-1',
  templateRef: 'template:default/kotlin-spring-service',
  fromVersion: '1.0.0',
  toVersion: '1.1.0',
};

describe('pullRequestBody', () => {
  it('says from and to, lists the conflicts, asks for a merge commit and carries the job marker', () => {
    const body = pullRequestBody({
      job,
      branch: 'paved-road/upgrade-1.1.0',
      changelog: [{ version: '1.1.0', body: '- Adds SECURITY.md.' }],
      conflicts: [
        { path: 'pom.xml', type: 'content', message: 'CONFLICT (content)' },
        { path: 'a|b.txt', type: 'modify/delete', message: 'CONFLICT' },
      ],
    });
    expect(body).toContain('**1.0.0** to **1.1.0**');
    expect(body).toContain('### 2 conflicts');
    expect(body).toContain('| `pom.xml` | content |');
    expect(body).toContain('| `a\\|b.txt` | modify/delete |');
    expect(body).toContain('Merge with a merge commit, not squash');
    expect(body).toContain('#### 1.1.0\n\n- Adds SECURITY.md.');
    expect(
      body.trimEnd().endsWith('<!-- paved-road-upgrade job=job-1 -->'),
    ).toBe(true);
  });

  it("is cut to GitHub's limit, keeping the marker", () => {
    const body = pullRequestBody({
      job,
      branch: 'paved-road/upgrade-1.1.0',
      changelog: [{ version: '1.1.0', body: 'x'.repeat(100_000) }],
      conflicts: [],
    });
    expect(body.length).toBeLessThanOrEqual(MAX_PULL_REQUEST_BODY);
    expect(body).toContain('<!-- paved-road-upgrade job=job-1 -->');
  });
});

describe('pullRequestTitle', () => {
  it('names the template and version, and counts conflicts', () => {
    expect(pullRequestTitle(job, [])).toBe(
      'Upgrade to kotlin-spring-service 1.1.0',
    );
    expect(
      pullRequestTitle(job, [{ path: 'a', type: 'content', message: '' }]),
    ).toBe('Upgrade to kotlin-spring-service 1.1.0 (1 conflict)');
  });
});

describe('upgradeBranch', () => {
  it('makes a branch name of any version', () => {
    expect(upgradeBranch('1.1.0')).toBe('paved-road/upgrade-1.1.0');
    expect(upgradeBranch(`sha256:${'ab'.repeat(32)}`)).toBe(
      'paved-road/upgrade-sha256-abababababab',
    );
    expect(upgradeBranch('2.0.0+build 7')).toBe(
      'paved-road/upgrade-2.0.0-build-7',
    );
    expect(upgradeBranch('1..2')).toBe('paved-road/upgrade-1.2');
  });
});
