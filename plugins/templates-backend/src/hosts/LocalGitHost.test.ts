import { createMockDirectory } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  commitDirectory,
  LocalGitRepositories,
  mergeIntoNewBranch,
  resolveRef,
} from '@paved-road/plugin-local-git-node';
import { createProjectHosts } from './locateProject';

const BASE_URL = 'http://localhost:7007/api/local-git';
const author = { name: 'Jane Doe', email: 'jane@example.com' };

function entity(location?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders',
      annotations: location
        ? { 'backstage.io/managed-by-location': location }
        : {},
    },
    spec: {},
  };
}

describe('LocalGitHost', () => {
  const mockDir = createMockDirectory();
  let repositories: LocalGitRepositories;
  let hosts: ReturnType<typeof createProjectHosts>;

  beforeEach(async () => {
    mockDir.setContent({
      render: { 'README.md': '# orders\n' },
      next: { 'README.md': '# orders\n', 'NEW.md': 'new\n' },
    });
    repositories = new LocalGitRepositories({
      directory: mockDir.resolve('git'),
      baseUrl: BASE_URL,
    });
    await repositories.createRepository({
      name: 'orders',
      sourceDir: mockDir.resolve('render'),
      author,
      taskId: 'task-1',
    });
    await repositories.createBranch('orders', 'paved-road/template', 'main');
    hosts = createProjectHosts({
      config: new ConfigReader({}),
      localGit: repositories,
    });
  });

  const located = () =>
    hosts.locate(entity(`url:${BASE_URL}/orders/raw/main/catalog-info.yaml`));

  it('opens the hosted repository itself, with its clone URL and no pull requests', async () => {
    const host = located();
    expect(host.kind).toBe('local-git');

    const repo = await host.open();

    expect(repo.gitDir).toBe(repositories.repositoryPath('orders'));
    expect(repo.defaultBranch).toBe('main');
    expect(repo.cloneUrl).toBe(`${BASE_URL}/orders.git`);
    expect(repo.compareUrl('paved-road/upgrade-1.1.0')).toBeUndefined();
    expect(repo.openOrUpdatePullRequest).toBeUndefined();
    await repo.dispose();
  });

  it('publishes refs the upgrade moved in place, and refuses one that moved since', async () => {
    const repo = await located().open();
    const head = (await resolveRef(repo.gitDir, 'paved-road/template'))!;
    const render = await commitDirectory(repo.gitDir, {
      branch: 'paved-road/template',
      sourceDir: mockDir.resolve('next'),
      author,
      message: 'Template 1.1.0',
      expectedHead: head,
    });
    const merge = await mergeIntoNewBranch(repo.gitDir, {
      base: 'main',
      from: 'paved-road/template',
      branch: 'paved-road/upgrade-1.1.0',
      author,
      message: 'Upgrade to 1.1.0',
    });
    const updates = [
      {
        ref: 'refs/heads/paved-road/template',
        commit: render.commitHash,
        expectedOld: head,
      },
      {
        ref: 'refs/heads/paved-road/upgrade-1.1.0',
        commit: merge.commitHash,
        expectedOld: null,
      },
    ];

    await expect(repo.publish(updates)).resolves.toBeUndefined();

    await repositories.commitDirectory({
      name: 'orders',
      branch: 'paved-road/template',
      sourceDir: mockDir.resolve('render'),
      author,
      message: 'Someone else',
    });
    await expect(repo.publish(updates)).rejects.toThrow(ConflictError);
  });

  it('reads a file of the default branch or of another branch', async () => {
    await repositories.commitDirectory({
      name: 'orders',
      branch: 'paved-road/template',
      sourceDir: mockDir.resolve('next'),
      author,
      message: 'Template 1.1.0',
    });
    const host = located();

    expect((await host.readFile('README.md'))?.toString()).toBe('# orders\n');
    expect(await host.readFile('NEW.md')).toBeUndefined();
    expect(
      (await host.readFile('NEW.md', 'paved-road/template'))?.toString(),
    ).toBe('new\n');
  });

  it('locates clone URLs too, and says which entity has no repository', async () => {
    expect(hosts.locate(entity(`url:${BASE_URL}/orders.git`)).kind).toBe(
      'local-git',
    );
    await expect(
      hosts.locate(entity(`url:${BASE_URL}/gone/raw/main/x.yaml`)).open(),
    ).rejects.toThrow(NotFoundError);
    expect(() => hosts.locate(entity())).toThrow(InputError);
    expect(() => hosts.locate(entity())).toThrow(
      'component:default/orders has no repository to upgrade: its backstage.io/managed-by-location is missing, not a url: location',
    );
    expect(() =>
      hosts.locate(entity('file:/srv/orders/catalog-info.yaml')),
    ).toThrow(/component:default\/orders has no repository/);
    expect(() =>
      hosts.locate(entity('url:https://gitlab.com/acme/orders/-/blob/main/x')),
    ).toThrow(/local git and GitHub repositories only/);
  });
});
