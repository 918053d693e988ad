import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { createPlanRepositoryAction } from './planRepository';

describe('paved-road:publish:plan', () => {
  const repositories = new LocalGitRepositories({
    directory: '/nonexistent',
    baseUrl: 'https://portal.acme.com/api/local-git',
  });

  const plan = async (
    config: object,
    input: { repoName: string; defaultBranch?: string },
  ) => {
    const action = createPlanRepositoryAction({
      config: new ConfigReader(config),
      repositories,
    });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  };

  it('gives the local git hosting URLs from pavedRoad.localGit.baseUrl', async () => {
    expect(
      await plan(
        { pavedRoad: { publish: { target: 'local-git' } } },
        { repoName: 'orders-service' },
      ),
    ).toEqual({
      target: 'local-git',
      remoteUrl: 'https://portal.acme.com/api/local-git/orders-service.git',
      repoContentsUrl:
        'https://portal.acme.com/api/local-git/orders-service/raw/main',
      catalogInfoUrl:
        'https://portal.acme.com/api/local-git/orders-service/raw/main/catalog-info.yaml',
      repoSlug: 'orders-service',
    });
  });

  it('gives the GitHub URLs in the configured organisation and host', async () => {
    expect(
      await plan(
        {
          pavedRoad: {
            publish: {
              target: 'github',
              github: { owner: 'acme', host: 'github.acme.com' },
            },
          },
          integrations: { github: [{ host: 'github.acme.com' }] },
        },
        { repoName: 'orders-service', defaultBranch: 'trunk' },
      ),
    ).toEqual({
      target: 'github',
      remoteUrl: 'https://github.acme.com/acme/orders-service.git',
      repoContentsUrl: 'https://github.acme.com/acme/orders-service/blob/trunk',
      catalogInfoUrl:
        'https://github.acme.com/acme/orders-service/blob/trunk/catalog-info.yaml',
      repoSlug: 'acme/orders-service',
    });
  });

  it.each([
    ['local-git', { target: 'local-git' }, 'Orders Service'],
    ['local-git', { target: 'local-git' }, 'x.git'],
    ['github', { target: 'github', github: { owner: 'acme' } }, 'a/b'],
    ['github', { target: 'github', github: { owner: 'acme' } }, '..'],
  ])(
    '%s: refuses a name the target cannot hold, naming the field',
    async (_t, publish, repoName) => {
      await expect(
        plan(
          {
            pavedRoad: { publish },
            integrations: { github: [{ host: 'github.com' }] },
          },
          { repoName },
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^input\.repoName must /),
      });
    },
  );

  it('refuses a bad branch, naming the field', async () => {
    await expect(
      plan(
        { pavedRoad: { publish: { target: 'local-git' } } },
        { repoName: 'ok', defaultBranch: '-x' },
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^input\.defaultBranch /),
    });
  });

  it('cannot be created without a publish target', () => {
    expect(() =>
      createPlanRepositoryAction({
        config: new ConfigReader({}),
        repositories,
      }),
    ).toThrow(/^pavedRoad\.publish\.target is not set\./);
  });
});
