import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { UpgradeJob } from '@paved-road/plugin-templates-common';
import { parse } from 'yaml';
import { fixture, lines, writeTree } from '../__testUtils__/tinyTemplate';
import {
  startScaffolder,
  templateEntity,
} from '../render/__testUtils__/scaffolder';
import { ANSWERS_FILE } from '../templates/answers';
import { UpgradeRunner } from './UpgradeRunner';
import {
  author,
  gitIn,
  localGitRunner,
  teamEdits,
} from './__testUtils__/projects';

jest.setTimeout(60_000);

describe('upgrading a project to a new template version', () => {
  let root: string;
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  const templateDir = () => join(root, 'template');
  const bare = (name: string) => join(root, 'git', `${name}.git`);
  const git = (name: string, ...args: string[]) => gitIn(bare(name))(...args);
  const runner = (template: Entity) =>
    localGitRunner({
      scaffolder,
      gitDir: join(root, 'git'),
      template,
      names: ['calm-service', 'busy-service'],
    });

  const job = (name: string, toVersion: string): UpgradeJob => ({
    id: `job-${name}-${toVersion}`,
    entityRef: `component:default/${name}`,
    templateRef: 'template:default/tiny-service',
    fromVersion: '1.0.0',
    toVersion,
    status: 'running',
    requestedBy: 'user:default/jdoe',
    createdAt: new Date().toISOString(),
  });
  const options = { author, heartbeat: async () => {} };

  beforeAll(async () => {
    root = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-upgrade-e2e-'));
    await writeTree(templateDir(), fixture('1.0.0'));
    scaffolder = await startScaffolder({
      gitDir: join(root, 'git'),
      entities: [await templateEntity(templateDir())],
    });
    // Two projects from 1.0.0 by real tasks, then edited by their teams:
    // a file of their own and line 2 of config.txt, or (busy-service)
    // line 9, which 1.1.0 changes too.
    for (const name of ['calm-service', 'busy-service']) {
      await scaffolder.runTask({
        templateRef: 'template:default/tiny-service',
        values: { name },
      });
    }
    await teamEdits(bare('calm-service'), root, async dir => {
      await fs.writeFile(join(dir, 'own.txt'), 'ours\n');
      await fs.writeFile(
        join(dir, 'config.txt'),
        lines(10, { 2: 'line 2 (team)' }),
      );
    });
    await teamEdits(bare('busy-service'), root, async dir => {
      await fs.writeFile(
        join(dir, 'config.txt'),
        lines(10, { 9: 'line 9 (team)' }),
      );
    });
  });

  afterAll(async () => {
    await scaffolder?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('renders no change while the template is unchanged', async () => {
    const main = git('calm-service', 'rev-parse', 'main').trim();
    const head = git('calm-service', 'rev-parse', 'paved-road/template');
    const { outcome } = await runner(await templateEntity(templateDir())).run(
      job('calm-service', '1.0.0'),
      options,
    );
    expect(outcome).toBe('no-change');
    expect(git('calm-service', 'rev-parse', 'paved-road/template')).toBe(head);
    expect(git('calm-service', 'rev-parse', 'main').trim()).toBe(main);
    expect(
      git('calm-service', 'branch', '--list', 'paved-road/upgrade-*'),
    ).toBe('');
  });

  describe('to 1.1.0', () => {
    let upgrade: UpgradeRunner;

    beforeAll(async () => {
      await writeTree(templateDir(), fixture('1.1.0'));
      upgrade = runner(await templateEntity(templateDir()));
    });

    it("keeps the team's edits and brings the template's change and new file", async () => {
      const main = git('calm-service', 'rev-parse', 'main').trim();
      const { outcome, result } = await upgrade.run(
        job('calm-service', '1.1.0'),
        options,
      );
      expect(outcome).toBe('clean');
      expect(result).toMatchObject({
        branch: 'paved-road/upgrade-1.1.0',
        conflicts: [],
        cloneUrl: 'http://localhost:7007/api/local-git/calm-service.git',
      });
      const show = (path: string) =>
        git('calm-service', 'show', `${result.branch}:${path}`);
      expect(show('own.txt')).toBe('ours\n');
      expect(show('config.txt')).toBe(
        lines(10, { 2: 'line 2 (team)', 9: 'line 9 (template 1.1.0)' }),
      );
      // A question 1.1.0 adds renders with its default.
      expect(show('NEW.md')).toBe('# Hello from calm-service\n');
      const answers = parse(show(ANSWERS_FILE));
      expect(answers).toMatchObject({
        template: 'template:default/tiny-service',
        version: '1.1.0',
        answers: { name: 'calm-service', greeting: 'Hello' },
      });
      expect(result.changedFiles).toEqual(
        expect.arrayContaining([
          { path: 'NEW.md', status: 'A' },
          { path: 'config.txt', status: 'M' },
          { path: ANSWERS_FILE, status: 'M' },
        ]),
      );
      // The merge's parents: main, then the new render on the template
      // branch, which holds template output only and names the job.
      expect(
        git('calm-service', 'rev-parse', `${result.commit}^1`).trim(),
      ).toBe(main);
      expect(
        git('calm-service', 'rev-parse', `${result.commit}^2`).trim(),
      ).toBe(result.templateCommit);
      expect(
        git('calm-service', 'rev-parse', 'paved-road/template').trim(),
      ).toBe(result.templateCommit);
      expect(
        git('calm-service', 'log', '-1', '--format=%B', result.templateCommit),
      ).toContain('Paved-Road-Upgrade: job-calm-service-1.1.0');
      expect(
        git(
          'calm-service',
          'ls-tree',
          '-r',
          '--name-only',
          result.templateCommit,
        )
          .trim()
          .split('\n'),
      ).toEqual([
        ANSWERS_FILE,
        'NEW.md',
        'catalog-info.yaml',
        'config.txt',
        'run.sh',
      ]);
      // Still executable after a render through the dry run.
      expect(git('calm-service', 'ls-tree', result.commit, 'run.sh')).toMatch(
        /^100755 /,
      );
    });

    it('running the same job again changes nothing and gives the same result', async () => {
      const refs = git('calm-service', 'for-each-ref');
      const again = await upgrade.run(job('calm-service', '1.1.0'), options);
      expect(again.outcome).toBe('clean');
      expect(again.result.commit).toBe(
        git('calm-service', 'rev-parse', 'paved-road/upgrade-1.1.0').trim(),
      );
      expect(git('calm-service', 'for-each-ref')).toBe(refs);
    });

    it('leaves conflict markers where team and template changed the same line, and lists the file', async () => {
      const { outcome, result } = await upgrade.run(
        job('busy-service', '1.1.0'),
        options,
      );
      expect(outcome).toBe('conflicts');
      expect(result.conflicts).toEqual([
        expect.objectContaining({ path: 'config.txt', type: 'content' }),
      ]);
      const config = git('busy-service', 'show', `${result.branch}:config.txt`);
      expect(config).toMatch(
        /<<<<<<< main\nline 9 \(team\)\n=======\nline 9 \(template 1\.1\.0\)\n>>>>>>> paved-road\/template\n/,
      );
      expect(git('busy-service', 'show', `${result.branch}:NEW.md`)).toBe(
        '# Hello from busy-service\n',
      );
    });
  });
});
