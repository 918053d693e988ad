import { ConfigReader } from '@backstage/config';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DESCRIPTOR } from '../__testUtils__/localGitProject';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { RepositoryLocator } from './RepositoryLocator';
import { GithubSettingsRepository } from './GithubSettingsRepository';

const API = 'https://api.github.com';
const REPO = `${API}/repos/acme/orders-kt`;
const TOKEN = 'ghp_test-token-never-logged';
const BASE_SHA = '1111111111111111111111111111111111111111';
const NEW_SHA = '2222222222222222222222222222222222222222';

function githubEntity(annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders-kt',
      annotations: {
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/orders-kt/blob/main/catalog-info.yaml',
        'backstage.io/source-location': 'url:https://github.com/acme/orders-kt',
        'paved-road.io/deployment': 'deploy/paved-road.yaml',
        ...annotations,
      },
    },
    spec: {},
  };
}

/**
 * The path after `prefix`; Octokit sends `deploy%2Fpaved-road.yaml` and
 * `heads%2Fmain`, which GitHub decodes.
 */
function pathAfter(url: string, prefix: string) {
  return decodeURIComponent(new URL(url).pathname.slice(prefix.length));
}

/** base64 in 60-character lines, as the contents API sends it. */
function githubBase64(text: string) {
  return `${Buffer.from(text)
    .toString('base64')
    .replace(/(.{60})/g, '$1\n')}\n`;
}

/**
 * A repository on GitHub with one branch, answering like the REST API does
 * (shapes and status codes from docs.github.com/rest).
 */
function fakeGithub() {
  const state = {
    files: new Map<string, { content: string; sha: string }>([
      ['deploy/paved-road.yaml', { content: DESCRIPTOR, sha: 'blob-1' }],
    ]),
    branches: new Map<string, string>([['main', BASE_SHA]]),
    archived: false,
    puts: [] as any[],
    pulls: [] as any[],
    authorization: [] as (string | null)[],
  };
  const notFound = () =>
    HttpResponse.json(
      {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      },
      { status: 404 },
    );
  const json = (body: unknown, status = 200) =>
    HttpResponse.json(body as any, {
      status,
      headers: {
        'x-github-api-version-selected': '2022-11-28',
        'x-ratelimit-remaining': '4999',
      },
    });

  const handlers = [
    http.get(REPO, ({ request }) => {
      state.authorization.push(request.headers.get('authorization'));
      return json({
        id: 1,
        name: 'orders-kt',
        full_name: 'acme/orders-kt',
        default_branch: 'main',
        archived: state.archived,
        html_url: 'https://github.com/acme/orders-kt',
      });
    }),
    http.patch(REPO, async ({ request }) => {
      const body = (await request.json()) as { archived?: boolean };
      if (state.archived && body.archived !== false) {
        return json(
          { message: 'Repository was archived so is read-only.' },
          403,
        );
      }
      state.archived = Boolean(body.archived);
      return json({ full_name: 'acme/orders-kt', archived: state.archived });
    }),
    http.get(`${REPO}/commits`, ({ request }) => {
      const url = new URL(request.url);
      if (url.searchParams.get('path') !== 'deploy/paved-road.yaml') {
        return json([]);
      }
      return json([
        {
          sha: state.branches.get('main'),
          html_url: `https://github.com/acme/orders-kt/commit/${state.branches.get(
            'main',
          )}`,
          commit: {
            message: 'Raise replicas (#12)\n\nMerged by Bob',
            author: {
              name: 'Bob Builder',
              email: 'bob@example.com',
              date: '2026-03-01T10:00:00Z',
            },
            committer: {
              name: 'GitHub',
              email: 'noreply@github.com',
              date: '2026-03-01T10:00:05Z',
            },
          },
          author: { login: 'bob' },
          parents: [{ sha: BASE_SHA }],
        },
      ]);
    }),
    // GET /repos/{owner}/{repo}/commits/{ref}: 422 for a ref GitHub cannot
    // parse, 404 for one that names no commit.
    http.get(`${REPO}/commits/:ref`, ({ params }) => {
      const ref = decodeURIComponent(String(params.ref));
      const sha =
        state.branches.get(ref) ??
        [...state.branches.values()].find(s => s.startsWith(ref));
      if (!sha) {
        return json(
          {
            message: `No commit found for SHA: ${ref}`,
            documentation_url:
              'https://docs.github.com/rest/commits/commits#get-a-commit',
            status: '422',
          },
          422,
        );
      }
      return json({
        sha,
        html_url: `https://github.com/acme/orders-kt/commit/${sha}`,
        commit: {
          message: 'Raise replicas (#12)',
          author: { name: 'Bob Builder', date: '2026-03-01T10:00:00Z' },
          committer: { name: 'GitHub', date: '2026-03-01T10:00:05Z' },
        },
        parents: [],
        files: [],
      });
    }),
    http.get(`${REPO}/contents/*`, ({ request }) => {
      const path = pathAfter(request.url, '/repos/acme/orders-kt/contents/');
      const file = state.files.get(path);
      if (!file) return notFound();
      return json({
        type: 'file',
        encoding: 'base64',
        size: file.content.length,
        name: path.split('/').pop(),
        path,
        content: githubBase64(file.content),
        sha: file.sha,
      });
    }),
    http.put(`${REPO}/contents/*`, async ({ request }) => {
      if (state.archived) {
        return json(
          { message: 'Repository was archived so is read-only.' },
          403,
        );
      }
      const path = pathAfter(request.url, '/repos/acme/orders-kt/contents/');
      const body = (await request.json()) as any;
      state.puts.push(body);
      const file = state.files.get(path);
      if (!file || body.sha !== file.sha) {
        return json(
          {
            message: `${path} does not match ${body.sha}`,
            documentation_url:
              'https://docs.github.com/rest/repos/contents#create-or-update-file-contents',
            status: '409',
          },
          409,
        );
      }
      state.files.set(path, {
        content: Buffer.from(body.content, 'base64').toString('utf8'),
        sha: 'blob-2',
      });
      state.branches.set(body.branch, NEW_SHA);
      return json({
        content: { name: path.split('/').pop(), path, sha: 'blob-2' },
        commit: {
          sha: NEW_SHA,
          html_url: `https://github.com/acme/orders-kt/commit/${NEW_SHA}`,
          message: body.message,
        },
      });
    }),
    http.get(`${REPO}/git/ref/*`, ({ request }) => {
      const ref = pathAfter(request.url, '/repos/acme/orders-kt/git/ref/');
      const sha = state.branches.get(ref.replace(/^heads\//, ''));
      if (!sha) return notFound();
      return json({
        ref: `refs/${ref}`,
        object: { sha, type: 'commit' },
      });
    }),
    http.post(`${REPO}/git/refs`, async ({ request }) => {
      const body = (await request.json()) as { ref: string; sha: string };
      const name = body.ref.replace('refs/heads/', '');
      if (state.branches.has(name)) {
        return json({ message: 'Reference already exists' }, 422);
      }
      state.branches.set(name, body.sha);
      return json(
        { ref: body.ref, object: { sha: body.sha, type: 'commit' } },
        201,
      );
    }),
    http.post(`${REPO}/pulls`, async ({ request }) => {
      const body = (await request.json()) as any;
      state.pulls.push(body);
      return json(
        {
          number: 13,
          html_url: 'https://github.com/acme/orders-kt/pull/13',
          state: 'open',
        },
        201,
      );
    }),
  ];
  return { state, handlers };
}

const author = { name: 'Alice Andersen', email: 'alice@example.com' };

describe('GithubSettingsRepository', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function locator(writeMode?: string) {
    return RepositoryLocator.fromConfig(
      new ConfigReader({
        integrations: { github: [{ host: 'github.com', token: TOKEN }] },
        deployments: writeMode ? { settings: { writeMode } } : {},
      }),
      {
        localGit: new LocalGitRepositories({
          directory: '/nonexistent',
          baseUrl: 'http://localhost:7007/api/local-git',
        }),
      },
    );
  }

  async function repository(writeMode?: string) {
    const location = await locator(writeMode).locate(githubEntity());
    expect(location).toMatchObject({
      descriptorPath: 'deploy/paved-road.yaml',
      catalogInfoPath: 'catalog-info.yaml',
    });
    expect(location!.repository).toBeInstanceOf(GithubSettingsRepository);
    return location!.repository;
  }

  it('reads the descriptor and the commit that last changed it, with the integration token', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);

    const file = await (await repository()).readFile('deploy/paved-road.yaml');

    expect(file).toEqual({
      content: DESCRIPTOR,
      commit: {
        sha: BASE_SHA,
        url: `https://github.com/acme/orders-kt/commit/${BASE_SHA}`,
        message: 'Raise replicas (#12)\n\nMerged by Bob',
        author: { name: 'Bob Builder', email: 'bob@example.com' },
        date: '2026-03-01T10:00:00.000Z',
        isRoot: false,
      },
    });
    expect(github.state.authorization[0]).toBe(`token ${TOKEN}`);
  });

  it('resolves a ref to its commit and commit time, the default branch when none is given', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);
    const repo = await repository();

    const expected = {
      sha: BASE_SHA,
      committedAt: '2026-03-01T10:00:05.000Z',
      defaultBranch: 'main',
    };
    await expect(repo.resolveRef(undefined)).resolves.toEqual(expected);
    await expect(repo.resolveRef('main')).resolves.toEqual(expected);
    await expect(repo.resolveRef(BASE_SHA.slice(0, 7))).resolves.toEqual(
      expected,
    );
    await expect(repo.resolveRef('no-such-branch')).resolves.toBeUndefined();
    expect(repo.cloneUrl).toBe('https://github.com/acme/orders-kt.git');
    expect(repo.githubSlug).toBe('acme/orders-kt');
  });

  it('resolves a branch by its ref only (refs/heads), never a sha or tag', async () => {
    const github = fakeGithub();
    github.state.branches.set('feature/x', NEW_SHA);
    server.use(...github.handlers);
    const repo = await repository();

    await expect(repo.resolveBranch('feature/x')).resolves.toEqual({
      sha: NEW_SHA,
      committedAt: '2026-03-01T10:00:05.000Z',
      defaultBranch: 'main',
    });
    await expect(repo.resolveBranch('main')).resolves.toMatchObject({
      sha: BASE_SHA,
    });
    // The commits API would resolve these; a branch lookup does not.
    await expect(repo.resolveBranch(BASE_SHA.slice(0, 7))).resolves.toBe(
      undefined,
    );
    await expect(repo.resolveBranch('no-such-branch')).resolves.toBe(undefined);
  });

  it('reads the descriptor at a commit', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);

    const file = await (
      await repository()
    ).readFileAt('deploy/paved-road.yaml', BASE_SHA);

    expect(file).toMatchObject({
      content: DESCRIPTOR,
      commit: { sha: BASE_SHA },
    });
  });

  it('commit mode updates the file on the default branch with its blob sha', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);

    const result = await (
      await repository('commit')
    ).updateFile({
      path: 'deploy/paved-road.yaml',
      author,
      message: 'More memory',
      edit: current => current.replace('memoryMiB: 512', 'memoryMiB: 1024'),
    });

    expect(result).toEqual({
      mode: 'commit',
      commit: {
        sha: NEW_SHA,
        url: `https://github.com/acme/orders-kt/commit/${NEW_SHA}`,
      },
    });
    expect(github.state.puts).toEqual([
      expect.objectContaining({
        branch: 'main',
        sha: 'blob-1',
        message: 'More memory',
        author,
      }),
    ]);
    expect(github.state.files.get('deploy/paved-road.yaml')?.content).toBe(
      DESCRIPTOR.replace('memoryMiB: 512', 'memoryMiB: 1024'),
    );
    expect(github.state.pulls).toEqual([]);
  });

  it('commit mode turns GitHub’s 409 (file changed meanwhile) into a ConflictError', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);
    const repo = await repository('commit');

    await expect(
      repo.updateFile({
        path: 'deploy/paved-road.yaml',
        author,
        message: 'Too late',
        edit: current => {
          // Someone else's commit lands between our read and our write.
          github.state.files.set('deploy/paved-road.yaml', {
            content: current,
            sha: 'blob-someone-else',
          });
          return current.replace('replicas: 2', 'replicas: 5');
        },
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('pull-request mode commits to a new branch and opens a pull request', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);

    const result = await (
      await repository('pull-request')
    ).updateFile({
      path: 'deploy/paved-road.yaml',
      author,
      message: 'More memory\n\nfor the sale',
      edit: current => current.replace('memoryMiB: 512', 'memoryMiB: 1024'),
    });

    expect(result).toEqual({
      mode: 'pull-request',
      pullRequestUrl: 'https://github.com/acme/orders-kt/pull/13',
    });
    const branch = github.state.puts[0].branch;
    expect(branch).toMatch(/^paved-road\/settings-/);
    expect(github.state.branches.get('main')).toBe(BASE_SHA);
    expect(github.state.branches.get(branch)).toBe(NEW_SHA);
    expect(github.state.pulls).toEqual([
      expect.objectContaining({
        title: 'More memory',
        head: branch,
        base: 'main',
      }),
    ]);
  });

  it('a write can force commit mode (deactivation) even when pull requests are configured', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);

    const result = await (
      await repository('pull-request')
    ).updateFile({
      path: 'deploy/paved-road.yaml',
      mode: 'commit',
      author,
      message: 'Deactivate',
      edit: current => `${current}# deactivated\n`,
    });
    expect(result.mode).toBe('commit');
    expect(github.state.pulls).toEqual([]);
  });

  it('archives and unarchives the repository', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);
    const repo = await repository();

    await repo.setArchived(true);
    expect(github.state.archived).toBe(true);
    // An archived repository refuses writes, as GitHub does.
    await expect(
      repo.updateFile({
        path: 'deploy/paved-road.yaml',
        author,
        message: 'x',
        edit: c => `${c}#\n`,
      }),
    ).rejects.toMatchObject({ status: 403 });

    await repo.setArchived(false);
    expect(github.state.archived).toBe(false);
  });

  it('rejects an invalid write mode', () => {
    expect(() => locator('merge')).toThrow(
      'deployments.settings.writeMode must be commit or pull-request; got "merge"',
    );
  });

  it('locates nothing for hosts without an integration', async () => {
    await expect(
      locator().locate(
        githubEntity({
          'backstage.io/source-location': 'url:https://gitlab.example/acme/x',
          'backstage.io/managed-by-location':
            'url:https://gitlab.example/acme/x/-/raw/main/catalog-info.yaml',
        }),
      ),
    ).resolves.toBeUndefined();
  });

  it('writes to the repository the catalog read the entity from, not the one its author names', async () => {
    const location = await locator().locate(
      githubEntity({
        'backstage.io/source-location':
          'url:https://github.com/acme/payments-core',
      }),
    );
    expect(location?.repository.url).toBe('https://github.com/acme/orders-kt');
  });

  describe('history of the descriptor', () => {
    const shaOf = (n: number) => `c0ffee${String(n).padStart(34, '0')}`;

    /**
     * `count` commits that changed the descriptor (1 = the repository's
     * first), listed newest first in pages of `per_page` with a Link header,
     * as GET /repos/{owner}/{repo}/commits does; contents by `ref`.
     */
    function githubHistory(count: number, contentOf: (n: number) => string) {
      const pagesServed: number[] = [];
      const commit = (n: number) => ({
        sha: shaOf(n),
        html_url: `https://github.com/acme/orders-kt/commit/${shaOf(n)}`,
        commit: {
          message: n === 1 ? 'Initial commit' : `Change ${n}`,
          author: {
            name: 'Bob Builder',
            email: 'bob@example.com',
            date: new Date(Date.UTC(2026, 0, n)).toISOString(),
          },
          committer: {
            name: 'GitHub',
            email: 'noreply@github.com',
            date: new Date(Date.UTC(2026, 0, n)).toISOString(),
          },
        },
        author: { login: 'bob' },
        parents: n === 1 ? [] : [{ sha: shaOf(n - 1) }],
      });
      const listCommits = ({ request }: { request: Request }) => {
        const url = new URL(request.url);
        expect(url.searchParams.get('path')).toBe('deploy/paved-road.yaml');
        expect(url.searchParams.get('sha')).toBe('main');
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        pagesServed.push(page);
        const newestFirst = Array.from({ length: count }, (_, i) =>
          commit(count - i),
        );
        const lastPage = Math.ceil(count / perPage);
        const link = (p: number, rel: string) =>
          `<${API}/repositories/1/commits?path=deploy%2Fpaved-road.yaml&sha=main&per_page=${perPage}&page=${p}>; rel="${rel}"`;
        const links =
          page < lastPage
            ? [link(page + 1, 'next'), link(lastPage, 'last')]
            : [];
        return HttpResponse.json(
          newestFirst.slice((page - 1) * perPage, page * perPage),
          { headers: links.length ? { link: links.join(', ') } : {} },
        );
      };
      const handlers = [
        http.get(REPO, () =>
          HttpResponse.json({ name: 'orders-kt', default_branch: 'main' }),
        ),
        http.get(`${REPO}/commits`, listCommits),
        http.get(`${REPO}/contents/*`, ({ request }) => {
          const ref = new URL(request.url).searchParams.get('ref') ?? '';
          const n = Number(ref.slice(6));
          const content = contentOf(n);
          if (!content) {
            return HttpResponse.json(
              { message: 'Not Found', status: '404' },
              { status: 404 },
            );
          }
          return HttpResponse.json({
            type: 'file',
            encoding: 'base64',
            path: 'deploy/paved-road.yaml',
            content: githubBase64(content),
            sha: `blob-${n}`,
          });
        }),
      ];
      return { handlers, pagesServed };
    }

    it('lists every commit that changed the descriptor, oldest first, with the file each left', async () => {
      const invalid = DESCRIPTOR.replace('replicas: 2 #', 'replicas: 0 #');
      const { handlers } = githubHistory(3, n =>
        n === 2
          ? invalid
          : DESCRIPTOR.replace('replicas: 2 #', `replicas: ${n} #`),
      );
      server.use(...handlers);

      const history = await (
        await repository()
      ).readFileHistory('deploy/paved-road.yaml', { limit: 50 });

      expect(history.map(f => f.commit.sha)).toEqual([
        shaOf(1),
        shaOf(2),
        shaOf(3),
      ]);
      expect(history[1].content).toBe(invalid);
      expect(history[2].content).toContain('replicas: 3 #');
      expect(history[0].commit).toEqual({
        sha: shaOf(1),
        url: `https://github.com/acme/orders-kt/commit/${shaOf(1)}`,
        message: 'Initial commit',
        author: { name: 'Bob Builder', email: 'bob@example.com' },
        date: '2026-01-01T00:00:00.000Z',
        isRoot: true,
      });
      expect(history[2].commit.isRoot).toBe(false);
    });

    it('follows the pages up to the limit and keeps the newest commits', async () => {
      const { handlers, pagesServed } = githubHistory(130, () => DESCRIPTOR);
      server.use(...handlers);

      const history = await (
        await repository()
      ).readFileHistory('deploy/paved-road.yaml', { limit: 110 });

      expect(pagesServed).toEqual([1, 2]);
      expect(history).toHaveLength(110);
      expect(history[0].commit.sha).toBe(shaOf(21));
      expect(history[109].commit.sha).toBe(shaOf(130));
    });

    it('leaves out a commit whose file is gone (deleted there)', async () => {
      const { handlers } = githubHistory(3, n => (n === 2 ? '' : DESCRIPTOR));
      server.use(...handlers);

      const history = await (
        await repository()
      ).readFileHistory('deploy/paved-road.yaml', { limit: 50 });

      expect(history.map(f => f.commit.sha)).toEqual([shaOf(1), shaOf(3)]);
    });
  });
});
