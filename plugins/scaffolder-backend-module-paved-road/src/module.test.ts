import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
// A test backend composed as packages/backend is: the module checks at
// start that the local git hosting is installed beside it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import localGitPlugin from '@paved-road/plugin-local-git-backend';
import { scaffolderModulePavedRoad } from './module';

jest.setTimeout(30_000);

/** What app-config.yaml sets for the embedded default. */
const localGitConfig = {
  backend: {
    baseUrl: 'http://localhost:7007',
    reading: {
      allow: [{ host: 'localhost:7007', paths: ['/api/local-git/'] }],
    },
  },
  pavedRoad: {
    publish: { target: 'local-git' },
    localGit: {
      directory: '/tmp/paved-road-module-test-git',
      publicRead: true,
    },
  },
};

/** What app-config.production.yaml sets. */
const githubConfig = {
  integrations: { github: [{ host: 'github.com', token: 'ghp_unused' }] },
  pavedRoad: { publish: { target: 'github', github: { owner: 'acme' } } },
};

const OR_GITHUB =
  "Or set pavedRoad.publish.target: github with pavedRoad.publish.github.owner and an integrations.github entry (see the module's README).";
const OR_LOCAL_GIT =
  "Or set pavedRoad.publish.target: local-git for a single machine (see the module's README).";
const BOTH_TARGETS = `
  - local-git: bare repositories on this backend's disk, for one machine; needs the local git hosting plugin (backend.add(import('@paved-road/plugin-local-git-backend'))), pavedRoad.localGit.publicRead: true and a backend.reading.allow entry for its host.
  - github: new repositories on GitHub, for production; needs pavedRoad.publish.github.owner (the organisation) and an integrations.github entry for pavedRoad.publish.github.host (default github.com).`;
const NO_PLUGIN =
  "the local git hosting plugin is not installed in this backend, so nobody could clone new projects and the catalog could not register them: add backend.add(import('@paved-road/plugin-local-git-backend')) to packages/backend/src/index.ts (yarn --cwd packages/backend add @paved-road/plugin-local-git-backend). It must run in the backend that runs the scaffolder: both use the repositories on this disk.";
const NO_PUBLIC_READ =
  'pavedRoad.localGit.publicRead is not true: the catalog reads catalog-info.yaml and git clones without Backstage credentials, so registering a new project would fail with 401. Set pavedRoad.localGit.publicRead: true.';
const NO_READING = `backend.reading.allow does not allow http://localhost:7007/api/local-git/ (pavedRoad.localGit.baseUrl), so the catalog could not read new projects' catalog-info.yaml. Add this entry: backend.reading.allow: [{ host: 'localhost:7007', paths: ['/api/local-git/'] }].`;

describe('scaffolderModulePavedRoad', () => {
  const start = async (
    config: object,
    options: { localGit?: boolean } = {},
  ) => {
    const addActions = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModulePavedRoad,
        ...(options.localGit ? [localGitPlugin] : []),
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    const ids: string[] = addActions.mock.calls.flat().map(a => a.id);
    return { backend, ids };
  };

  /**
   * The module's start-up error as the backend reports it, without the
   * backend's own first lines.
   */
  const startError = async (
    config: object,
    options: { localGit?: boolean } = {},
  ): Promise<string> => {
    const error: Error = await start(config, options).then(
      () => {
        throw new Error('the backend started');
      },
      e => e,
    );
    const byModule = `Backend startup failed due to the following errors:\n  Module 'paved-road' for plugin 'scaffolder' startup failed; caused by Error: `;
    expect(error.message.startsWith(byModule)).toBe(true);
    return error.message.slice(byModule.length);
  };

  describe('with pavedRoad.publish.target local-git', () => {
    it('starts with the local git hosting, the reading allow-list and publicRead, and registers publish:local-git', async () => {
      const { backend, ids } = await start(localGitConfig, { localGit: true });
      expect(ids).toEqual([
        'paved-road:cost-center:resolve',
        'paved-road:catalog-info:annotate',
        'publish:local-git',
        'paved-road:publish:plan',
        'paved-road:publish',
        'paved-road:catalog:assert-name-free',
        'paved-road:catalog:register',
        'paved-road:catalog:await-entity',
        'paved-road:project:record',
        'paved-road:deployment:start',
      ]);
      await backend.stop();
    });

    it('judges the allow-list as the URL reader does: wildcard hosts, port ranges, any path', async () => {
      const { backend, ids } = await start(
        {
          ...localGitConfig,
          backend: {
            reading: { allow: [{ host: '*.acme.com:8000-9000' }] },
          },
          pavedRoad: {
            ...localGitConfig.pavedRoad,
            localGit: {
              ...localGitConfig.pavedRoad.localGit,
              baseUrl: 'http://git.portal.acme.com:8443/api/local-git',
            },
          },
        },
        { localGit: true },
      );
      expect(ids).toContain('publish:local-git');
      await backend.stop();
    });

    it('refuses to start without the local git hosting plugin, saying what to add', async () => {
      expect(await startError(localGitConfig)).toBe(
        `pavedRoad.publish.target is local-git, which needs:\n  - ${NO_PLUGIN}\n${OR_GITHUB}`,
      );
    });

    it('refuses to start when backend.reading.allow does not allow its host, naming the entry', async () => {
      expect(
        await startError(
          {
            ...localGitConfig,
            backend: {
              baseUrl: 'http://localhost:7007',
              // Another host, and the right host on other paths.
              reading: {
                allow: [
                  { host: 'example.com' },
                  { host: 'localhost:7007', paths: ['/api/techdocs/'] },
                ],
              },
            },
          },
          { localGit: true },
        ),
      ).toBe(
        `pavedRoad.publish.target is local-git, which needs:\n  - ${NO_READING}\n${OR_GITHUB}`,
      );
    });

    it('names the host of pavedRoad.localGit.baseUrl', async () => {
      const message = await startError(
        {
          ...localGitConfig,
          pavedRoad: {
            ...localGitConfig.pavedRoad,
            localGit: {
              ...localGitConfig.pavedRoad.localGit,
              baseUrl: 'https://portal.acme.com/api/local-git',
            },
          },
        },
        { localGit: true },
      );
      expect(message).toContain(
        "backend.reading.allow does not allow https://portal.acme.com/api/local-git/ (pavedRoad.localGit.baseUrl), so the catalog could not read new projects' catalog-info.yaml. Add this entry: backend.reading.allow: [{ host: 'portal.acme.com', paths: ['/api/local-git/'] }].",
      );
    });

    it('refuses to start without publicRead', async () => {
      expect(
        await startError(
          {
            ...localGitConfig,
            pavedRoad: { publish: { target: 'local-git' } },
          },
          { localGit: true },
        ),
      ).toBe(
        `pavedRoad.publish.target is local-git, which needs:\n  - ${NO_PUBLIC_READ}\n${OR_GITHUB}`,
      );
    });

    it('lists every missing piece at once', async () => {
      expect(
        await startError({ pavedRoad: { publish: { target: 'local-git' } } }),
      ).toBe(
        `pavedRoad.publish.target is local-git, which needs:\n  - ${NO_PLUGIN}\n  - ${NO_PUBLIC_READ}\n  - ${NO_READING}\n${OR_GITHUB}`,
      );
    });
  });

  describe('with pavedRoad.publish.target github', () => {
    it('starts without the local git hosting and registers no publish:local-git', async () => {
      const { backend, ids } = await start(githubConfig);
      expect(ids).toContain('paved-road:publish');
      expect(ids).toContain('paved-road:publish:plan');
      expect(ids).not.toContain('publish:local-git');
      await backend.stop();
    });

    it('refuses to start without an owner', async () => {
      expect(
        await startError({
          ...githubConfig,
          pavedRoad: { publish: { target: 'github' } },
        }),
      ).toBe(
        `pavedRoad.publish.target is github, which needs:\n  - pavedRoad.publish.github.owner is not set: set it to the GitHub organisation (or user) that owns new repositories, e.g. acme.\n${OR_LOCAL_GIT}`,
      );
    });

    it('refuses to start without an integrations.github entry for the host', async () => {
      expect(
        await startError({
          ...githubConfig,
          pavedRoad: {
            publish: {
              target: 'github',
              github: { owner: 'acme', host: 'github.acme.com' },
            },
          },
        }),
      ).toBe(
        `pavedRoad.publish.target is github, which needs:\n  - integrations.github has no entry for github.acme.com: add one with credentials that may create repositories in the organisation, e.g. integrations.github: [{ host: github.acme.com, token: \${GITHUB_TOKEN} }] (or a GitHub App under apps).\n${OR_LOCAL_GIT}`,
      );
      // Backstage's implicit github.com integration does not count.
      expect(
        await startError({
          pavedRoad: githubConfig.pavedRoad,
        }),
      ).toContain('integrations.github has no entry for github.com');
    });
  });

  it('refuses to start without pavedRoad.publish.target, naming both values', async () => {
    expect(await startError({})).toBe(
      `pavedRoad.publish.target is not set. The Paved Road scaffolder module publishes new projects with paved-road:publish; set pavedRoad.publish.target in app-config.yaml to one of:${BOTH_TARGETS}`,
    );
    // Even with the local git hosting installed: no silent default.
    expect(
      await startError(
        { ...localGitConfig, pavedRoad: { localGit: { publicRead: true } } },
        { localGit: true },
      ),
    ).toMatch(/^pavedRoad\.publish\.target is not set/);
  });

  it('refuses an unknown target', async () => {
    expect(
      await startError({ pavedRoad: { publish: { target: 'svn' } } }),
    ).toBe(
      `pavedRoad.publish.target must be local-git or github; got "svn". Set it to one of:${BOTH_TARGETS}`,
    );
  });

  it('refuses to start with an invalid cost center pattern', async () => {
    await expect(
      start({
        ...githubConfig,
        pavedRoad: { ...githubConfig.pavedRoad, costCenterPattern: '[' },
      }),
    ).rejects.toThrow(/costCenterPattern/);
  });
});
