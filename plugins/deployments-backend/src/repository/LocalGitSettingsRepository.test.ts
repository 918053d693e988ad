import {
  createLocalGitProject,
  DESCRIPTOR,
} from '../__testUtils__/localGitProject';
import { LocalGitSettingsRepository } from './LocalGitSettingsRepository';
import { editDescriptor } from './settingsFile';

jest.setTimeout(30_000);

const author = { name: 'Alice Andersen', email: 'alice@example.com' };

describe('LocalGitSettingsRepository', () => {
  let project: Awaited<ReturnType<typeof createLocalGitProject>>;
  let repository: LocalGitSettingsRepository;

  beforeEach(async () => {
    project = await createLocalGitProject();
    repository = new LocalGitSettingsRepository(
      project.repositories,
      'orders-kt',
    );
  });
  afterEach(() => project.cleanup());

  it('reads a file at the head with the commit that last changed it', async () => {
    const file = await repository.readFile('deploy/paved-road.yaml');

    expect(file).toEqual({
      content: DESCRIPTOR,
      commit: {
        sha: project.initialCommit,
        url: `http://localhost:7007/api/local-git/orders-kt/raw/${project.initialCommit}/deploy/paved-road.yaml`,
        message: expect.stringContaining('Paved-Road-Task: task-1'),
        author: { name: 'Guest Developer', email: 'guest@example.com' },
        date: expect.any(String),
        isRoot: true,
      },
    });
    await expect(repository.readFile('missing.yaml')).resolves.toBeUndefined();
  });

  it('resolves branches, tags and shas to commits with their commit time', async () => {
    const head = project.pushChange(
      'README.md',
      '# orders-kt\n\nMore.\n',
      'Docs',
    );
    project.git('tag', 'v1', project.initialCommit);

    await expect(repository.resolveRef(undefined)).resolves.toEqual({
      sha: head,
      committedAt: new Date(
        project.git('log', '-1', '--format=%cI', head).trim(),
      ).toISOString(),
      defaultBranch: 'main',
    });
    await expect(repository.resolveRef('main')).resolves.toMatchObject({
      sha: head,
    });
    await expect(repository.resolveRef('v1')).resolves.toMatchObject({
      sha: project.initialCommit,
    });
    await expect(
      repository.resolveRef(project.initialCommit.slice(0, 8)),
    ).resolves.toMatchObject({ sha: project.initialCommit });
    await expect(repository.resolveRef('no-such-branch')).resolves.toBe(
      undefined,
    );
    // Never read as an option
    await expect(repository.resolveRef('--all')).resolves.toBeUndefined();
  });

  it('resolves a branch only by its name: never a tag or a sha', async () => {
    project.git('branch', 'feature/x', project.initialCommit);
    project.git('tag', 'v1', project.initialCommit);

    await expect(repository.resolveBranch('feature/x')).resolves.toEqual({
      sha: project.initialCommit,
      committedAt: new Date(
        project.git('log', '-1', '--format=%cI', project.initialCommit).trim(),
      ).toISOString(),
      defaultBranch: 'main',
    });
    for (const notABranch of [
      'v1',
      project.initialCommit,
      project.initialCommit.slice(0, 8),
      'feature',
      'no-such-branch',
    ]) {
      await expect(repository.resolveBranch(notABranch)).resolves.toBe(
        undefined,
      );
    }
  });

  it('reads a file at a commit with the commit that last changed it', async () => {
    const changed = DESCRIPTOR.replace('replicas: 2 #', 'replicas: 3 #');
    const second = project.pushChange(
      'deploy/paved-road.yaml',
      changed,
      'Three',
    );
    const head = project.pushChange(
      'README.md',
      '# orders-kt\n\nMore.\n',
      'Docs',
    );

    await expect(
      repository.readFileAt('deploy/paved-road.yaml', project.initialCommit),
    ).resolves.toMatchObject({
      content: DESCRIPTOR,
      commit: { sha: project.initialCommit },
    });
    await expect(
      repository.readFileAt('deploy/paved-road.yaml', head),
    ).resolves.toMatchObject({ content: changed, commit: { sha: second } });
    await expect(
      repository.readFileAt('missing.yaml', head),
    ).resolves.toBeUndefined();
  });

  it('reads the history of a file oldest first, up to a limit of the newest commits', async () => {
    const invalid = DESCRIPTOR.replace('replicas: 2 #', 'replicas: 0 #');
    const third = DESCRIPTOR.replace('replicas: 2 #', 'replicas: 3 #');
    const second = project.pushChange(
      'deploy/paved-road.yaml',
      invalid,
      'Scale to zero\n\nWith a body line',
    );
    // A commit elsewhere is not part of the file's history
    project.pushChange('README.md', '# orders-kt\n\nMore.\n', 'Docs');
    const head = project.pushChange('deploy/paved-road.yaml', third, 'Three');

    const history = await repository.readFileHistory('deploy/paved-road.yaml', {
      limit: 50,
    });

    expect(history.map(f => f.commit.sha)).toEqual([
      project.initialCommit,
      second,
      head,
    ]);
    expect(history.map(f => f.content)).toEqual([DESCRIPTOR, invalid, third]);
    expect(history.map(f => f.commit.isRoot)).toEqual([true, false, false]);
    expect(history[1].commit).toEqual({
      sha: second,
      url: `http://localhost:7007/api/local-git/orders-kt/raw/${second}/deploy/paved-road.yaml`,
      message: 'Scale to zero\n\nWith a body line',
      author: { name: 'Bob Builder', email: 'bob@example.com' },
      date: expect.any(String),
      isRoot: false,
    });

    const lastTwo = await repository.readFileHistory('deploy/paved-road.yaml', {
      limit: 2,
    });
    expect(lastTwo.map(f => f.commit.sha)).toEqual([second, head]);
    await expect(
      repository.readFileHistory('missing.yaml', { limit: 50 }),
    ).resolves.toEqual([]);
  });

  it('writes exactly one commit that changes only the edited line', async () => {
    const result = await repository.updateFile({
      path: 'deploy/paved-road.yaml',
      author,
      message:
        'More replicas for the sale\n\nPaved-Road-Actor: user:default/alice\n',
      edit: current =>
        editDescriptor(current, {
          cluster: 'local',
          replicas: 3,
          cpuMillicores: 500,
          memoryMiB: 512,
          regions: ['eu-west-1'],
          rollout: {
            strategy: 'canary',
            canaryPercent: 50,
            healthCheckPath: '/actuator/health',
          },
        }),
    });

    expect(result).toEqual({
      mode: 'commit',
      commit: {
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        url: expect.any(String),
      },
    });
    const sha = (result as { commit: { sha: string } }).commit.sha;
    expect(project.git('rev-parse', 'main').trim()).toBe(sha);
    expect(project.git('rev-list', '--count', 'main').trim()).toBe('2');
    expect(project.git('log', '-1', '--format=%an <%ae>%n%B', 'main')).toBe(
      'Alice Andersen <alice@example.com>\nMore replicas for the sale\n\nPaved-Road-Actor: user:default/alice\n\n',
    );
    expect(
      project
        .git('diff', '--name-only', `${project.initialCommit}`, sha)
        .trim(),
    ).toBe('deploy/paved-road.yaml');
    const changed = project
      .git('diff', '--unified=0', project.initialCommit, sha)
      .split('\n')
      .filter(l => /^[-+](?![-+])/.test(l));
    // The comment on the line stays, and so does the header comment.
    expect(changed).toEqual([
      '-  replicas: 2 # two is enough for now',
      '+  replicas: 3 # two is enough for now',
    ]);
    expect(project.git('fsck', '--strict')).toBe('');
  });

  it('writes nothing when the edit changes nothing or throws', async () => {
    await expect(
      repository.updateFile({
        path: 'deploy/paved-road.yaml',
        author,
        message: 'noop',
        edit: current => current,
      }),
    ).resolves.toEqual({ mode: 'unchanged' });
    await expect(
      repository.updateFile({
        path: 'deploy/paved-road.yaml',
        author,
        message: 'refused',
        edit: () => {
          throw new Error('not based on the latest version');
        },
      }),
    ).rejects.toThrow('not based on the latest version');
    expect(project.git('rev-list', '--count', 'main').trim()).toBe('1');
  });

  it('refuses a write when the branch moved underneath it', async () => {
    const result = repository.updateFile({
      path: 'deploy/paved-road.yaml',
      author,
      message: 'late',
      edit: current => {
        // Someone pushes between our read and our ref update.
        project.pushChange('README.md', '# changed\n', 'Docs');
        return current.replace('replicas: 2', 'replicas: 4');
      },
    });

    await expect(result).rejects.toMatchObject({ name: 'ConflictError' });
    expect(project.git('log', '-1', '--format=%s', 'main').trim()).toBe('Docs');
  });
});
