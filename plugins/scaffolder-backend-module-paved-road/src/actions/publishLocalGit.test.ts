import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { UserEntity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  isolatedGitEnv,
  LocalGitRepositories,
} from '@paved-road/plugin-local-git-node';
import { commitAuthorOf, createPublishLocalGitAction } from './publishLocalGit';

const jane: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'jdoe' },
  spec: {
    profile: { displayName: 'Jane Doe', email: 'jane.doe@example.com' },
    memberOf: [],
  },
};

function git(args: string[]): string {
  return execFileSync('git', args, { env: isolatedGitEnv() }).toString();
}

describe('publish:local-git', () => {
  const mockDir = createMockDirectory();
  const repositories = new LocalGitRepositories({
    directory: mockDir.resolve('git'),
    baseUrl: 'http://localhost:7007/api/local-git',
  });
  const action = createPublishLocalGitAction({
    repositories,
    catalog: catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'orders-service', namespace: 'default' },
          spec: { owner: 'group:default/checkout' },
        },
      ],
    }),
    auth: mockServices.auth(),
  });
  const gitDir = (name: string) =>
    `--git-dir=${mockDir.resolve(`git/${name}.git`)}`;
  /** The commit of the pristine-render branch of a repository. */
  const templateBranchOf = (name: string) =>
    git([gitDir(name), 'rev-parse', 'paved-road/template']).trim();

  beforeEach(() => {
    mockDir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        service: { 'build.gradle.kts': 'plugins {}\n' },
      },
    });
  });

  const context = (
    input: Record<string, unknown>,
    options: {
      taskId?: string;
      user?: { entity?: UserEntity; ref?: string };
    } = {},
  ) => {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: mockDir.resolve('workspace'),
      task: { id: options.taskId ?? 'task-1' },
      user: options.user ?? { entity: jane, ref: 'user:default/jdoe' },
    });
    const outputs = () =>
      Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    return { ctx, outputs };
  };

  it('publishes the workspace as a commit by the requesting user', async () => {
    const { ctx, outputs } = context({
      repoName: 'checkout-service',
      description: 'Checkout',
    });
    await action.handler(ctx);

    const commitHash = git([
      gitDir('checkout-service'),
      'rev-parse',
      'main',
    ]).trim();
    expect(outputs()).toEqual({
      remoteUrl: 'http://localhost:7007/api/local-git/checkout-service.git',
      repoContentsUrl:
        'http://localhost:7007/api/local-git/checkout-service/raw/main',
      catalogInfoUrl:
        'http://localhost:7007/api/local-git/checkout-service/raw/main/catalog-info.yaml',
      commitHash,
      templateBranch: 'paved-road/template',
    });
    // The pristine render, for upgrades: the same single commit.
    expect(templateBranchOf('checkout-service')).toBe(commitHash);
    expect(
      git([
        gitDir('checkout-service'),
        'log',
        '--format=%an <%ae>|%cn|%B',
        'main',
      ]).trim(),
    ).toBe(
      'Jane Doe <jane.doe@example.com>|Jane Doe|Initial commit\n\nPaved-Road-Task: task-1',
    );
    expect(
      git([gitDir('checkout-service'), 'ls-tree', '-r', '--name-only', 'main'])
        .trim()
        .split('\n'),
    ).toEqual(['catalog-info.yaml', 'service/build.gradle.kts']);
  });

  it('publishes only sourcePath when given', async () => {
    const { ctx } = context({
      repoName: 'svc',
      sourcePath: 'service',
      defaultBranch: 'trunk',
    });
    await action.handler(ctx);
    expect(
      git([gitDir('svc'), 'ls-tree', '-r', '--name-only', 'trunk']).trim(),
    ).toBe('build.gradle.kts');
  });

  it('does not publish twice when a recovered task replays the step', async () => {
    // Stores checkpoint results the way the task engine does across restarts.
    const checkpoints = new Map<string, unknown>();
    const fn = jest.fn();
    const run = async () => {
      const { ctx, outputs } = context({ repoName: 'checkout-service' });
      ctx.checkpoint = (async ({ key, fn: step }: any) => {
        fn(key);
        if (!checkpoints.has(key)) checkpoints.set(key, await step());
        return checkpoints.get(key);
      }) as typeof ctx.checkpoint;
      await action.handler(ctx);
      return outputs();
    };

    const first = await run();
    fs.writeFileSync(mockDir.resolve('workspace/catalog-info.yaml'), 'changed');
    const second = await run();

    expect(second).toEqual(first);
    expect(fn).toHaveBeenCalledWith('publish.local-git.checkout-service');
    expect(git([gitDir('checkout-service'), 'rev-list', '--all']).trim()).toBe(
      first.commitHash,
    );
  });

  it('returns the same repository when a task crashed before its checkpoint was saved', async () => {
    const first = context({ repoName: 'checkout-service' });
    await action.handler(first.ctx);
    // No checkpoint store: the git step itself runs again for the same task.
    const retry = context({ repoName: 'checkout-service' });
    await action.handler(retry.ctx);

    expect(retry.outputs()).toEqual(first.outputs());
    expect(git([gitDir('checkout-service'), 'rev-list', '--all']).trim()).toBe(
      first.outputs().commitHash,
    );
    expect(templateBranchOf('checkout-service')).toBe(
      first.outputs().commitHash,
    );
  });

  it('makes the template branch when a task crashed between the repository and the branch', async () => {
    await action.handler(context({ repoName: 'checkout-service' }).ctx);
    git([
      gitDir('checkout-service'),
      'update-ref',
      '-d',
      'refs/heads/paved-road/template',
    ]);
    const retry = context({ repoName: 'checkout-service' });
    await action.handler(retry.ctx);

    expect(templateBranchOf('checkout-service')).toBe(
      retry.outputs().commitHash,
    );
    expect(git([gitDir('checkout-service'), 'rev-list', '--all']).trim()).toBe(
      retry.outputs().commitHash,
    );
  });

  it('returns the recorded repository when a recovered task lost its workspace', async () => {
    const checkpoints = new Map<string, unknown>();
    const run = async () => {
      const { ctx, outputs } = context({
        repoName: 'checkout-service',
        sourcePath: 'service',
      });
      ctx.checkpoint = (async ({ key, fn: step }: any) => {
        if (!checkpoints.has(key)) checkpoints.set(key, await step());
        return checkpoints.get(key);
      }) as typeof ctx.checkpoint;
      await action.handler(ctx);
      return outputs();
    };
    const first = await run();
    // A restart: the scaffolder keeps no workspace.
    mockDir.setContent({ workspace: {} });
    expect(await run()).toEqual(first);
  });

  it('publishes nothing from an empty workspace and says why', async () => {
    mockDir.setContent({ workspace: {} });
    const { ctx } = context({ repoName: 'checkout-service' });
    await expect(action.handler(ctx)).rejects.toThrow(
      /workspace is empty\. If the backend restarted during this task.*nothing was published/,
    );
    expect(fs.existsSync(mockDir.resolve('git/checkout-service.git'))).toBe(
      false,
    );
  });

  it('refuses an entity name the catalog already has, before creating anything', async () => {
    const { ctx } = context({
      repoName: 'orders-service',
      entityRef: 'component:default/orders-service',
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'component:default/orders-service is already in the catalog (owned by group:default/checkout)',
      ),
    });
    expect(fs.existsSync(mockDir.resolve('git'))).toBe(false);
    await expect(
      action.handler({
        ...context({ repoName: 'x', entityRef: 'component:orders-service' })
          .ctx,
        isDryRun: true,
      }),
    ).rejects.toThrow('The name orders-service is taken');
  });

  it('fails with a conflict when another task owns the name', async () => {
    await action.handler(context({ repoName: 'checkout-service' }).ctx);
    const other = context(
      { repoName: 'checkout-service' },
      { taskId: 'task-2' },
    );
    await expect(action.handler(other.ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'Repository checkout-service already exists',
    });
    expect(other.outputs()).toEqual({});
  });

  it('previews URLs in a dry run without writing', async () => {
    const { ctx, outputs } = context({ repoName: 'checkout-service' });
    await action.handler({ ...ctx, isDryRun: true });
    expect(outputs()).toEqual({
      remoteUrl: 'http://localhost:7007/api/local-git/checkout-service.git',
      repoContentsUrl:
        'http://localhost:7007/api/local-git/checkout-service/raw/main',
      catalogInfoUrl:
        'http://localhost:7007/api/local-git/checkout-service/raw/main/catalog-info.yaml',
      templateBranch: 'paved-road/template',
    });
    expect(fs.existsSync(mockDir.resolve('git'))).toBe(false);
  });

  it('reports a taken name already in a dry run', async () => {
    await action.handler(context({ repoName: 'checkout-service' }).ctx);
    const { ctx } = context(
      { repoName: 'checkout-service' },
      { taskId: 'dry' },
    );
    await expect(action.handler({ ...ctx, isDryRun: true })).rejects.toThrow(
      'Repository checkout-service already exists',
    );
  });

  it.each([
    [{ repoName: '../escape' }, 'input.repoName'],
    [{ repoName: 'Bad Name' }, 'input.repoName'],
    [{ repoName: 'ok', sourcePath: '../..' }, 'input.sourcePath'],
    [{ repoName: 'ok', sourcePath: '/etc' }, 'input.sourcePath'],
    [{ repoName: 'ok', sourcePath: 'missing' }, 'input.sourcePath'],
    [{ repoName: 'ok', defaultBranch: '-x' }, 'input.defaultBranch'],
  ])('rejects %j naming %s, writing nothing', async (input, field) => {
    const { ctx } = context(input);
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(field),
    });
    expect(fs.existsSync(mockDir.resolve('git'))).toBe(false);
  });
});

describe('commitAuthorOf', () => {
  it('prefers the catalog profile', () => {
    expect(commitAuthorOf({ entity: jane, ref: 'user:default/jdoe' })).toEqual({
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
    });
  });

  it('falls back to the user ref', () => {
    expect(commitAuthorOf({ ref: 'user:default/guest' })).toEqual({
      name: 'guest',
      email: 'guest@users.noreply.local',
    });
  });

  it('never lets profile data break the commit header', () => {
    expect(
      commitAuthorOf({
        ref: 'user:default/eve',
        entity: {
          ...jane,
          spec: { profile: { displayName: 'Eve <x@y>\nZ', email: 'not mail' } },
        },
      }),
    ).toEqual({ name: 'Eve x@yZ', email: 'eve@users.noreply.local' });
  });

  it('has an author when the task has no user', () => {
    expect(commitAuthorOf(undefined)).toEqual({
      name: 'Backstage Scaffolder',
      email: 'scaffolder@users.noreply.local',
    });
  });
});
