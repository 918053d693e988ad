import fs from 'node:fs';
import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import {
  commitDirectory,
  LocalGitRepositories,
  mergeIntoNewBranch,
  readBlob,
  resolveRef,
} from '@paved-road/plugin-local-git-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createProjectHosts } from './locateProject';
import { ProjectRepository } from './ProjectHost';

const API = 'https://api.github.com';
const REPO = `${API}/repos/acme/orders-kt`;
const TOKEN = 'ghp_test-token-never-logged';
const TEMPLATE = 'paved-road/template';
const UPGRADE = 'paved-road/upgrade-1.1.0';
const author = { name: 'Jane Doe', email: 'jane@example.com' };

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-kt',
    annotations: {
      'backstage.io/managed-by-location':
        'url:https://github.com/acme/orders-kt/blob/main/catalog-info.yaml',
    },
  },
  spec: {},
};

type PullRequest = {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  head: string;
  base: string;
};

/**
 * GitHub's REST API for one repository: the repository, file contents and
 * pull requests, with the shapes, status codes and headers of
 * docs.github.com/rest (201 on create, 422 for a second open pull request
 * of the same head).
 */
function fakeGithub(files: Record<string, string>) {
  const state = {
    pulls: [] as PullRequest[],
    authorization: new Set<string | null>(),
    // How many of the next list calls miss the pull requests (a race).
    listMisses: 0,
  };
  const headers = {
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-remaining': '4999',
  };
  const json = (body: unknown, status = 200) =>
    HttpResponse.json(body as any, { status, headers });
  const pullJson = (pr: PullRequest) => ({
    url: `${REPO}/pulls/${pr.number}`,
    id: 1000 + pr.number,
    number: pr.number,
    state: pr.state,
    title: pr.title,
    body: pr.body,
    html_url: `https://github.com/acme/orders-kt/pull/${pr.number}`,
    head: { label: `acme:${pr.head}`, ref: pr.head, sha: 'f'.repeat(40) },
    base: { label: `acme:${pr.base}`, ref: pr.base, sha: 'e'.repeat(40) },
    user: { login: 'paved-road[bot]' },
  });
  const notFound = () =>
    json(
      {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      },
      404,
    );
  const seen = (request: Request) =>
    state.authorization.add(request.headers.get('authorization'));

  const handlers = [
    http.get(REPO, ({ request }) => {
      seen(request);
      return json({
        id: 1,
        name: 'orders-kt',
        full_name: 'acme/orders-kt',
        default_branch: 'main',
        html_url: 'https://github.com/acme/orders-kt',
        clone_url: 'https://github.com/acme/orders-kt.git',
      });
    }),
    http.get(`${REPO}/contents/*`, ({ request }) => {
      seen(request);
      const url = new URL(request.url);
      const path = decodeURIComponent(
        url.pathname.slice('/repos/acme/orders-kt/contents/'.length),
      );
      const ref = url.searchParams.get('ref') ?? 'main';
      const content = files[`${ref}:${path}`];
      if (content === undefined) return notFound();
      return json({
        type: 'file',
        encoding: 'base64',
        size: content.length,
        name: path.split('/').pop(),
        path,
        sha: 'a'.repeat(40),
        content: `${Buffer.from(content)
          .toString('base64')
          .replace(/(.{60})/g, '$1\n')}\n`,
      });
    }),
    http.get(`${REPO}/pulls`, ({ request }) => {
      seen(request);
      const url = new URL(request.url);
      if (state.listMisses > 0) {
        state.listMisses--;
        return json([]);
      }
      const head = url.searchParams.get('head');
      const wanted = url.searchParams.get('state') ?? 'open';
      return json(
        state.pulls
          .filter(pr => `acme:${pr.head}` === head)
          .filter(pr => wanted === 'all' || pr.state === wanted)
          .map(pullJson),
      );
    }),
    http.post(`${REPO}/pulls`, async ({ request }) => {
      seen(request);
      const body = (await request.json()) as {
        title: string;
        body: string;
        head: string;
        base: string;
      };
      if (
        state.pulls.some(pr => pr.head === body.head && pr.state === 'open')
      ) {
        return json(
          {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'PullRequest',
                code: 'custom',
                message: `A pull request already exists for acme:${body.head}.`,
              },
            ],
            documentation_url:
              'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
            status: '422',
          },
          422,
        );
      }
      const pr: PullRequest = {
        number: state.pulls.length + 1,
        state: 'open',
        ...body,
      };
      state.pulls.push(pr);
      return json(pullJson(pr), 201);
    }),
    http.patch(`${REPO}/pulls/:number`, async ({ request, params }) => {
      seen(request);
      const pr = state.pulls.find(p => p.number === Number(params.number));
      if (!pr) return notFound();
      Object.assign(pr, (await request.json()) as Partial<PullRequest>);
      return json(pullJson(pr));
    }),
  ];
  return { state, handlers };
}

describe('GithubHost', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const mockDir = createMockDirectory();
  let remote: string;
  let github: ReturnType<typeof fakeGithub>;
  const opened: ProjectRepository[] = [];

  const hosts = () =>
    createProjectHosts({
      config: new ConfigReader({
        integrations: { github: [{ host: 'github.com', token: TOKEN }] },
      }),
      localGit: new LocalGitRepositories({
        directory: mockDir.resolve('local-git'),
        baseUrl: 'http://localhost:7007/api/local-git',
      }),
      // The git side of "GitHub": a local bare repository.
      githubRemoteUrl: () => remote,
    });

  const open = async () => {
    const repo = await hosts().locate(entity).open();
    opened.push(repo);
    return repo;
  };

  // What the upgrade runner does in the opened repository.
  async function upgrade(repo: ProjectRepository) {
    const head = (await resolveRef(repo.gitDir, TEMPLATE))!;
    const render = await commitDirectory(repo.gitDir, {
      branch: TEMPLATE,
      sourceDir: mockDir.resolve('render-1.1.0'),
      author,
      message: 'Template 1.1.0',
      expectedHead: head,
    });
    const merge = await mergeIntoNewBranch(repo.gitDir, {
      base: repo.defaultBranch,
      from: TEMPLATE,
      branch: UPGRADE,
      author,
      message: 'Upgrade to 1.1.0',
    });
    await repo.publish([
      {
        ref: `refs/heads/${TEMPLATE}`,
        commit: render.commitHash,
        expectedOld: head,
      },
      {
        ref: `refs/heads/${UPGRADE}`,
        commit: merge.commitHash,
        expectedOld: merge.created ? null : merge.commitHash,
      },
    ]);
    return { head, render, merge };
  }

  beforeEach(async () => {
    mockDir.setContent({
      'render-1.0.0': { 'README.md': '# orders\n' },
      'team-edit': { 'README.md': '# orders, by the team\n' },
      'render-1.1.0': { 'README.md': '# orders\n', 'NEW.md': 'new\n' },
    });
    remote = mockDir.resolve('remote.git');
    const repositories = new LocalGitRepositories({
      directory: mockDir.resolve('.'),
      baseUrl: 'http://unused',
    });
    await repositories.createRepository({
      name: 'remote',
      sourceDir: mockDir.resolve('render-1.0.0'),
      author,
      taskId: 'task-1',
    });
    await repositories.createBranch('remote', TEMPLATE, 'main');
    await repositories.commitDirectory({
      name: 'remote',
      branch: 'main',
      sourceDir: mockDir.resolve('team-edit'),
      author,
      message: 'Team edit',
    });
    github = fakeGithub({
      'main:.paved-road/answers.yaml': 'version: 1.0.0\n',
    });
    server.use(...github.handlers);
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map(repo => repo.dispose()));
  });

  it('fetches the branches, pushes the upgrade and opens a pull request', async () => {
    const host = hosts().locate(entity);
    expect(host.kind).toBe('github');
    const repo = await open();
    expect(repo.defaultBranch).toBe('main');
    expect(repo.cloneUrl).toBe('https://github.com/acme/orders-kt.git');

    const { render, merge } = await upgrade(repo);
    const url = await repo.openOrUpdatePullRequest!({
      branch: UPGRADE,
      title: 'Upgrade to kotlin-spring-service 1.1.0',
      body: 'From 1.0.0 to 1.1.0',
    });

    expect(merge.conflicts).toEqual([]);
    expect(await resolveRef(remote, TEMPLATE)).toBe(render.commitHash);
    expect(await resolveRef(remote, UPGRADE)).toBe(merge.commitHash);
    expect((await readBlob(remote, UPGRADE, 'README.md'))?.toString()).toBe(
      '# orders, by the team\n',
    );
    expect((await readBlob(remote, UPGRADE, 'NEW.md'))?.toString()).toBe(
      'new\n',
    );
    expect(url).toBe('https://github.com/acme/orders-kt/pull/1');
    expect(github.state.pulls).toEqual([
      {
        number: 1,
        state: 'open',
        title: 'Upgrade to kotlin-spring-service 1.1.0',
        body: 'From 1.0.0 to 1.1.0',
        head: UPGRADE,
        base: 'main',
      },
    ]);
    expect(repo.compareUrl(UPGRADE)).toBe(
      `https://github.com/acme/orders-kt/compare/main...${UPGRADE}`,
    );
    expect([...github.state.authorization]).toEqual([`token ${TOKEN}`]);
  });

  it('finds its own work on a re-run and updates the pull request body', async () => {
    const first = await upgrade(await open());
    await (
      await open()
    ).openOrUpdatePullRequest!({
      branch: UPGRADE,
      title: 'Upgrade',
      body: 'first run',
    });

    const repo = await open();
    // The template branch already holds the render: a resumed job.
    expect(await resolveRef(repo.gitDir, TEMPLATE)).toBe(
      first.render.commitHash,
    );
    const merge = await mergeIntoNewBranch(repo.gitDir, {
      base: 'main',
      from: TEMPLATE,
      branch: UPGRADE,
      author,
      message: 'Upgrade to 1.1.0',
    });
    await repo.publish([
      {
        ref: UPGRADE,
        commit: merge.commitHash,
        expectedOld: merge.commitHash,
      },
    ]);
    const url = await repo.openOrUpdatePullRequest!({
      branch: UPGRADE,
      title: 'Upgrade',
      body: 'second run',
    });

    expect(merge).toEqual({ ...first.merge, created: false });
    expect(url).toBe('https://github.com/acme/orders-kt/pull/1');
    expect(github.state.pulls).toHaveLength(1);
    expect(github.state.pulls[0].body).toBe('second run');
  });

  it('updates the pull request GitHub refuses to duplicate (422) when one appeared meanwhile', async () => {
    const repo = await open();
    await repo.openOrUpdatePullRequest!({
      branch: UPGRADE,
      title: 'Upgrade',
      body: 'first',
    });
    github.state.listMisses = 1;

    const url = await repo.openOrUpdatePullRequest!({
      branch: UPGRADE,
      title: 'Upgrade',
      body: 'after the race',
    });

    expect(url).toBe('https://github.com/acme/orders-kt/pull/1');
    expect(github.state.pulls).toHaveLength(1);
    expect(github.state.pulls[0].body).toBe('after the race');
  });

  it('pushes nothing when a branch moved on GitHub since the fetch', async () => {
    const repo = await open();
    // Someone pushes to the template branch after the fetch.
    fs.mkdirSync(mockDir.resolve('other'));
    fs.writeFileSync(mockDir.resolve('other/README.md'), '# other\n');
    const theirs = await commitDirectory(remote, {
      branch: TEMPLATE,
      sourceDir: mockDir.resolve('other'),
      author,
      message: 'Someone else',
    });

    await expect(upgrade(repo)).rejects.toThrow(ConflictError);
    expect(await resolveRef(remote, TEMPLATE)).toBe(theirs.commitHash);
    expect(await resolveRef(remote, UPGRADE)).toBeUndefined();
  });

  it('reads a file through the contents API, undefined when there is none', async () => {
    const host = hosts().locate(entity);

    expect((await host.readFile('.paved-road/answers.yaml'))?.toString()).toBe(
      'version: 1.0.0\n',
    );
    expect(await host.readFile('.paved-road/answers.yaml', TEMPLATE)).toBe(
      undefined,
    );
  });

  it('removes the temporary fetch on dispose', async () => {
    const repo = await open();
    expect(fs.existsSync(repo.gitDir)).toBe(true);

    await repo.dispose();

    expect(fs.existsSync(repo.gitDir)).toBe(false);
  });
});
