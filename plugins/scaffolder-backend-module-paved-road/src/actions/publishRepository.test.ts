import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  createMockDirectory,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { UserEntity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  isolatedGitEnv,
  LocalGitRepositories,
} from '@paved-road/plugin-local-git-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createPublishRepositoryAction } from './publishRepository';

const TOKEN = 'ghp_pavedRoadTestToken0123456789abcdef';

const jane: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'jdoe' },
  spec: {
    profile: { displayName: 'Jane Doe', email: 'jane.doe@example.com' },
    memberOf: [],
  },
};

const mockDir = createMockDirectory();

function git(args: string[]): string {
  return execFileSync('git', args, { env: isolatedGitEnv() }).toString();
}

/**
 * A small GitHub: the REST endpoints publish:github calls, with GitHub's
 * status codes and body shapes, and git smart HTTP on github.com backed by
 * real bare repositories through `git http-backend`.
 */
function fakeGitHub() {
  const accounts: Record<string, 'Organization' | 'User'> = {
    acme: 'Organization',
    jdoe: 'User',
  };
  const requests: string[] = [];
  const unauthorized = () =>
    HttpResponse.json(
      {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      },
      { status: 401 },
    );
  const authorized = (request: Request) =>
    request.headers.get('authorization') === `token ${TOKEN}`;

  const createRepo = async (owner: string, request: Request) => {
    const body = (await request.json()) as { name: string; private: boolean };
    const dir = mockDir.resolve(`github/${owner}/${body.name}.git`);
    if (fs.existsSync(dir)) {
      return HttpResponse.json(
        {
          message: 'Repository creation failed.',
          errors: [
            {
              resource: 'Repository',
              code: 'custom',
              field: 'name',
              message: 'name already exists on this account',
            },
          ],
          documentation_url:
            'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
          status: '422',
        },
        { status: 422 },
      );
    }
    git(['init', '--quiet', '--bare', dir]);
    const htmlUrl = `https://github.com/${owner}/${body.name}`;
    return HttpResponse.json(
      {
        id: 1296269,
        name: body.name,
        full_name: `${owner}/${body.name}`,
        private: body.private,
        owner: { login: owner, type: accounts[owner] },
        html_url: htmlUrl,
        clone_url: `${htmlUrl}.git`,
        git_url: `git://github.com/${owner}/${body.name}.git`,
        default_branch: 'main',
      },
      { status: 201 },
    );
  };

  const handlers = [
    http.all('https://api.github.com/*', ({ request }) => {
      requests.push(`${request.method} ${new URL(request.url).pathname}`);
      return authorized(request) ? undefined : unauthorized();
    }),
    http.get('https://api.github.com/users/:owner', ({ params }) => {
      const type = accounts[params.owner as string];
      return type
        ? HttpResponse.json({ login: params.owner, id: 1, type })
        : HttpResponse.json(
            {
              message: 'Not Found',
              documentation_url:
                'https://docs.github.com/rest/users/users#get-a-user',
              status: '404',
            },
            { status: 404 },
          );
    }),
    http.post('https://api.github.com/orgs/:org/repos', ({ params, request }) =>
      createRepo(params.org as string, request),
    ),
    http.post('https://api.github.com/user/repos', ({ request }) =>
      createRepo('jdoe', request),
    ),
    http.put(
      'https://api.github.com/repos/:owner/:repo/branches/:branch/protection',
      ({ params }) =>
        HttpResponse.json({
          url: `https://api.github.com/repos/${params.owner}/${params.repo}/branches/${params.branch}/protection`,
        }),
    ),
    // Git references, kept in the bare repository itself.
    http.post(
      'https://api.github.com/repos/:owner/:repo/git/refs',
      async ({ params, request }) => {
        const { ref, sha } = (await request.json()) as {
          ref: string;
          sha: string;
        };
        const gitDir = `--git-dir=${mockDir.resolve(
          `github/${params.owner}/${params.repo}.git`,
        )}`;
        const exists = (rev: string) => {
          try {
            git([gitDir, 'rev-parse', '--verify', '--quiet', rev]);
            return true;
          } catch {
            return false;
          }
        };
        if (exists(ref)) {
          return HttpResponse.json(
            {
              message: 'Reference already exists',
              documentation_url:
                'https://docs.github.com/rest/git/refs#create-a-reference',
              status: '422',
            },
            { status: 422 },
          );
        }
        if (!exists(`${sha}^{commit}`)) {
          return HttpResponse.json(
            {
              message: 'Object does not exist',
              documentation_url:
                'https://docs.github.com/rest/git/refs#create-a-reference',
              status: '422',
            },
            { status: 422 },
          );
        }
        git([gitDir, 'update-ref', ref, sha]);
        return HttpResponse.json(gitRef(params, ref, sha), { status: 201 });
      },
    ),
    http.get(
      'https://api.github.com/repos/:owner/:repo/git/ref/*',
      ({ params, request }) => {
        const path = new URL(request.url).pathname;
        const ref = `refs/${decodeURIComponent(
          path.slice(path.indexOf('/git/ref/') + '/git/ref/'.length),
        )}`;
        try {
          const sha = git([
            `--git-dir=${mockDir.resolve(
              `github/${params.owner}/${params.repo}.git`,
            )}`,
            'rev-parse',
            '--verify',
            '--quiet',
            ref,
          ]).trim();
          return HttpResponse.json(gitRef(params, ref, sha));
        } catch {
          return HttpResponse.json(
            {
              message: 'Not Found',
              documentation_url:
                'https://docs.github.com/rest/git/refs#get-a-reference',
              status: '404',
            },
            { status: 404 },
          );
        }
      },
    ),
    http.all('https://github.com/:owner/:repo/*', async ({ request }) => {
      const url = new URL(request.url);
      requests.push(`${request.method} ${url.pathname}`);
      const basic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString(
        'base64',
      )}`;
      if (request.headers.get('authorization') !== basic) {
        return new HttpResponse(null, {
          status: 401,
          headers: { 'WWW-Authenticate': 'Basic realm="GitHub"' },
        });
      }
      return gitHttpBackend(request, url);
    }),
  ];
  return { handlers, requests };
}

/** A reference as GitHub's git refs API returns it. */
function gitRef(
  params: Record<string, string | readonly string[] | undefined>,
  ref: string,
  sha: string,
) {
  const repo = `https://api.github.com/repos/${params.owner}/${params.repo}`;
  return {
    ref,
    node_id: 'MDM6UmVmcmVmcy9oZWFkcy9mZWF0dXJlQQ==',
    url: `${repo}/git/${ref}`,
    object: { type: 'commit', sha, url: `${repo}/git/commits/${sha}` },
  };
}

// Runs git http-backend with push enabled (REMOTE_USER), like GitHub's git
// endpoint would accept the token holder's push.
async function gitHttpBackend(request: Request, url: URL): Promise<Response> {
  const body = Buffer.from(await request.arrayBuffer());
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = execFile(
      'git',
      ['http-backend'],
      {
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024,
        env: isolatedGitEnv({
          GIT_PROJECT_ROOT: mockDir.resolve('github'),
          GIT_HTTP_EXPORT_ALL: '1',
          PATH_INFO: url.pathname,
          QUERY_STRING: url.search.slice(1),
          REQUEST_METHOD: request.method,
          CONTENT_TYPE: request.headers.get('content-type') ?? '',
          REMOTE_USER: 'x-access-token',
        }),
      },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
    child.stdin!.end(body);
  });
  const end = output.indexOf('\r\n\r\n');
  const headers = new Headers();
  let status = 200;
  for (const line of output.subarray(0, end).toString().split('\r\n')) {
    const [name, ...rest] = line.split(':');
    if (name.toLowerCase() === 'status') status = parseInt(rest.join(':'), 10);
    else headers.set(name, rest.join(':').trim());
  }
  return new HttpResponse(output.subarray(end + 4), { status, headers });
}

describe('paved-road:publish', () => {
  const github = fakeGitHub();
  const server = setupServer(...github.handlers);
  registerMswTestHooks(server);

  const repositories = new LocalGitRepositories({
    directory: mockDir.resolve('local-git'),
    baseUrl: 'http://localhost:7007/api/local-git',
  });

  const githubConfig = (publish: object = {}) =>
    new ConfigReader({
      pavedRoad: {
        publish: { target: 'github', github: { owner: 'acme' }, ...publish },
      },
      integrations: { github: [{ host: 'github.com', token: TOKEN }] },
    });

  const context = (input: Record<string, unknown>) => {
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: mockDir.resolve('workspace'),
      task: { id: 'task-1' },
      user: { entity: jane, ref: 'user:default/jdoe' },
      logger,
    });
    const outputs = () =>
      Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    return { ctx, outputs, logger };
  };

  /**
   * Runs the action as the task engine does across restarts: a checkpoint
   * already in `checkpoints` returns its recorded result without running;
   * one whose key matches `repeat` runs every time (its record was lost).
   */
  const replaying =
    (
      action: ReturnType<typeof createPublishRepositoryAction>,
      repoUrl: string,
      checkpoints: Map<string, unknown>,
      repeat?: RegExp,
    ) =>
    async () => {
      const { ctx, outputs } = context({ repoUrl });
      ctx.checkpoint = (async ({ key, fn }: any) => {
        if (repeat?.test(key)) return fn();
        if (!checkpoints.has(key)) checkpoints.set(key, await fn());
        return checkpoints.get(key);
      }) as typeof ctx.checkpoint;
      await action.handler(ctx);
      return outputs();
    };

  beforeEach(() => {
    github.requests.length = 0;
    mockDir.setContent({
      workspace: { 'catalog-info.yaml': 'kind: Component\n' },
    });
  });

  describe('with target github', () => {
    it('creates the repository in the organisation and pushes the workspace as the user', async () => {
      const action = createPublishRepositoryAction({
        config: githubConfig(),
        repositories,
      });
      const { ctx, outputs, logger } = context({
        repoUrl: 'github.com?owner=acme&repo=checkout-service',
        description: 'Checkout',
      });
      await action.handler(ctx);

      const bare = `--git-dir=${mockDir.resolve(
        'github/acme/checkout-service.git',
      )}`;
      const head = git([bare, 'rev-parse', 'main']).trim();
      expect(outputs()).toEqual({
        remoteUrl: 'https://github.com/acme/checkout-service.git',
        repoContentsUrl: 'https://github.com/acme/checkout-service/blob/main',
        catalogInfoUrl:
          'https://github.com/acme/checkout-service/blob/main/catalog-info.yaml',
        commitHash: head,
        templateBranch: 'paved-road/template',
      });
      // The pristine render, for upgrades: the same commit, through the API.
      expect(git([bare, 'rev-parse', 'paved-road/template']).trim()).toBe(head);
      expect(git([bare, 'log', '--format=%an <%ae>', 'main']).trim()).toBe(
        'Jane Doe <jane.doe@example.com>',
      );
      expect(git([bare, 'show', 'main:catalog-info.yaml'])).toBe(
        'kind: Component\n',
      );
      expect(github.requests).toEqual(
        expect.arrayContaining([
          'GET /users/acme',
          'POST /orgs/acme/repos',
          'POST /acme/checkout-service.git/git-receive-pack',
          'PUT /repos/acme/checkout-service/branches/main/protection',
          'POST /repos/acme/checkout-service/git/refs',
        ]),
      );
      // The token reached GitHub but never the task log.
      for (const method of ['debug', 'info', 'warn', 'error'] as const) {
        expect(JSON.stringify(logger[method].mock.calls)).not.toContain(TOKEN);
      }
    });

    it('creates user repositories through /user/repos', async () => {
      const action = createPublishRepositoryAction({
        config: githubConfig(),
        repositories,
      });
      await action.handler(
        context({ repoUrl: 'github.com?owner=jdoe&repo=side-project' }).ctx,
      );
      expect(github.requests).toContain('POST /user/repos');
      expect(
        fs.existsSync(
          mockDir.resolve('github/jdoe/side-project.git/refs/heads/main'),
        ),
      ).toBe(true);
    });

    it('builds repoUrl from repoName and the configured owner', async () => {
      const action = createPublishRepositoryAction({
        config: githubConfig({ github: { owner: 'acme' } }),
        repositories,
      });
      const { ctx, outputs } = context({ repoName: 'fleet-lib' });
      await action.handler(ctx);
      expect(outputs().remoteUrl).toBe('https://github.com/acme/fleet-lib.git');
    });

    it('fails with a conflict when the name is taken', async () => {
      git([
        'init',
        '--quiet',
        '--bare',
        mockDir.resolve('github/acme/taken.git'),
      ]);
      const action = createPublishRepositoryAction({
        config: githubConfig(),
        repositories,
      });
      const { ctx } = context({ repoUrl: 'github.com?owner=acme&repo=taken' });
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toMatchObject({
        name: 'ConflictError',
        message: 'Repository acme/taken already exists on github.com',
      });
      expect(String(error)).not.toContain(TOKEN);
    });

    it('neither creates nor pushes again when a recovered task replays the step', async () => {
      const action = createPublishRepositoryAction({
        config: githubConfig(),
        repositories,
      });
      const checkpoints = new Map<string, unknown>();
      const run = replaying(
        action,
        'github.com?owner=acme&repo=once',
        checkpoints,
      );
      const first = await run();
      const calls = github.requests.length;
      const second = await run();

      expect(second).toEqual(first);
      expect(github.requests).toHaveLength(calls);
      expect(
        github.requests.filter(r => r === 'POST /orgs/acme/repos'),
      ).toHaveLength(1);
    });

    it('makes only the template branch when a task crashed after publishing', async () => {
      const action = createPublishRepositoryAction({
        config: githubConfig(),
        repositories,
      });
      const checkpoints = new Map<string, unknown>();
      const bare = `--git-dir=${mockDir.resolve('github/acme/resumed.git')}`;
      const run = replaying(
        action,
        'github.com?owner=acme&repo=resumed',
        checkpoints,
      );
      const first = await run();
      // The restart came after the repository, before the branch's
      // checkpoint: the branch is gone and its checkpoint unrecorded.
      git([bare, 'update-ref', '-d', 'refs/heads/paved-road/template']);
      checkpoints.delete(
        'publish.github.github.com.acme.resumed.template-branch',
      );
      github.requests.length = 0;
      const second = await run();

      expect(second).toEqual(first);
      expect(git([bare, 'rev-parse', 'paved-road/template']).trim()).toBe(
        first.commitHash,
      );
      expect(github.requests).toEqual(['POST /repos/acme/resumed/git/refs']);
    }, 20_000);

    it('keeps a template branch a repeated step already made, and refuses one elsewhere', async () => {
      const action = createPublishRepositoryAction({
        config: githubConfig(),
        repositories,
      });
      const bare = `--git-dir=${mockDir.resolve('github/acme/again.git')}`;
      const checkpoints = new Map<string, unknown>();
      // Only the publish checkpoint was recorded; the branch step repeats.
      const run = replaying(
        action,
        'github.com?owner=acme&repo=again',
        checkpoints,
        /\.template-branch$/,
      );
      const first = await run();
      github.requests.length = 0;
      await expect(run()).resolves.toEqual(first);
      expect(github.requests).toEqual([
        'POST /repos/acme/again/git/refs',
        'GET /repos/acme/again/git/ref/heads%2Fpaved-road%2Ftemplate',
      ]);

      // A branch of that name at another commit is not ours to move.
      const other = git([
        '-c',
        'user.name=Someone',
        '-c',
        'user.email=someone@example.com',
        bare,
        'commit-tree',
        '-m',
        'other',
        `${first.commitHash}^{tree}`,
      ]).trim();
      git([bare, 'update-ref', 'refs/heads/paved-road/template', other]);
      await expect(run()).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          `Branch paved-road/template of acme/again already exists at ${other}`,
        ),
      });
    }, 20_000);

    it('previews the GitHub URLs in a dry run without calling GitHub', async () => {
      const action = createPublishRepositoryAction({
        config: githubConfig(),
        repositories,
      });
      const { ctx, outputs } = context({
        repoUrl: 'github.com?owner=acme&repo=preview',
        defaultBranch: 'trunk',
      });
      await action.handler({ ...ctx, isDryRun: true });
      expect(outputs()).toEqual({
        remoteUrl: 'https://github.com/acme/preview.git',
        repoContentsUrl: 'https://github.com/acme/preview/blob/trunk',
        catalogInfoUrl:
          'https://github.com/acme/preview/blob/trunk/catalog-info.yaml',
        templateBranch: 'paved-road/template',
      });
      expect(github.requests).toEqual([]);
    });

    it('names the field when it cannot tell where to publish', async () => {
      const action = createPublishRepositoryAction({
        config: githubConfig(),
        repositories,
      });
      await expect(action.handler(context({}).ctx)).rejects.toMatchObject({
        name: 'InputError',
        message:
          'input.repoName (or input.repoUrl) is required to publish to GitHub',
      });
      await expect(
        action.handler(
          context({ repoUrl: 'gitlab.com?owner=acme&repo=x' }).ctx,
        ),
      ).rejects.toMatchObject({ name: 'InputError' });
      expect(github.requests).toEqual([]);
    });
  });

  const localGitConfig = new ConfigReader({
    pavedRoad: { publish: { target: 'local-git' } },
  });

  describe('with target local-git', () => {
    it('publishes to the local git hosting', async () => {
      const action = createPublishRepositoryAction({
        config: localGitConfig,
        repositories,
      });
      const { ctx, outputs } = context({ repoName: 'checkout-service' });
      await action.handler(ctx);

      const head = git([
        `--git-dir=${mockDir.resolve('local-git/checkout-service.git')}`,
        'rev-parse',
        'main',
      ]).trim();
      expect(outputs()).toEqual({
        remoteUrl: 'http://localhost:7007/api/local-git/checkout-service.git',
        repoContentsUrl:
          'http://localhost:7007/api/local-git/checkout-service/raw/main',
        catalogInfoUrl:
          'http://localhost:7007/api/local-git/checkout-service/raw/main/catalog-info.yaml',
        commitHash: head,
        templateBranch: 'paved-road/template',
      });
      expect(github.requests).toEqual([]);
    });

    it('takes the name from repoUrl so GitHub templates run unchanged', async () => {
      const action = createPublishRepositoryAction({
        config: localGitConfig,
        repositories,
      });
      const { ctx, outputs } = context({
        repoUrl: 'github.com?owner=acme&repo=from-url',
      });
      await action.handler(ctx);
      expect(outputs().remoteUrl).toBe(
        'http://localhost:7007/api/local-git/from-url.git',
      );
    });

    it('requires a repository name', async () => {
      const action = createPublishRepositoryAction({
        config: localGitConfig,
        repositories,
      });
      await expect(action.handler(context({}).ctx)).rejects.toThrow(
        'input.repoName is required to publish to local git',
      );
    });
  });

  it('refuses an unknown target at startup', () => {
    expect(() =>
      createPublishRepositoryAction({
        config: new ConfigReader({ pavedRoad: { publish: { target: 'svn' } } }),
        repositories,
      }),
    ).toThrow(
      'pavedRoad.publish.target must be local-git or github; got "svn"',
    );
  });
});
