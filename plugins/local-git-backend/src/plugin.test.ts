import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  isolatedGitEnv,
  LocalGitRepositories,
} from '@paved-road/plugin-local-git-node';
import {
  coreServices,
  createBackendPlugin,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import request from 'supertest';
import { localGitPlugin } from './plugin';

jest.setTimeout(30_000);

// Async on purpose: the server under test runs in this very process.
const execFileAsync = promisify(execFile);
const git = (args: string[], cwd?: string) =>
  execFileAsync('git', args, { cwd, env: isolatedGitEnv() });

const NONE = `Authorization: ${mockCredentials.none.header()}`;

describe('localGitPlugin', () => {
  const mockDir = createMockDirectory();
  let commitHash: string;

  beforeAll(async () => {
    mockDir.setContent({
      source: {
        'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: svc\n',
        docs: { 'index.md': '# Docs\n' },
      },
    });
    const repositories = new LocalGitRepositories({
      directory: mockDir.resolve('git'),
      baseUrl: 'http://unused',
    });
    ({ commitHash } = await repositories.createRepository({
      name: 'new-service',
      sourceDir: mockDir.resolve('source'),
      author: { name: 'Jane Doe', email: 'jane@example.com' },
      taskId: 'task-1',
    }));
  });

  // Hands out the backend's real URL reader, the one the catalog uses.
  let urlReader: UrlReaderService;
  const urlReaderProbe = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { reader: coreServices.urlReader },
        async init({ reader }) {
          urlReader = reader;
        },
      });
    },
  });

  const start = async (publicRead: boolean) => {
    const backend = await startTestBackend({
      features: [
        localGitPlugin,
        urlReaderProbe,
        mockServices.rootConfig.factory({
          data: {
            // What app-config.yaml sets so the catalog may read new projects.
            backend: {
              reading: {
                allow: [
                  { host: '127.0.0.1:1024-65535', paths: ['/api/local-git/'] },
                ],
              },
            },
            pavedRoad: {
              localGit: {
                directory: mockDir.resolve('git'),
                baseUrl: 'http://localhost:7007/api/local-git',
                publicRead,
              },
            },
          },
        }),
      ],
    });
    const { server } = backend;
    return {
      server,
      url: `http://127.0.0.1:${server.port()}/api/local-git`,
    };
  };

  describe('with publicRead', () => {
    let server: Awaited<ReturnType<typeof start>>['server'];
    let url: string;
    beforeAll(async () => {
      ({ server, url } = await start(true));
    });

    it.each(['2', '0'])(
      'serves git clone over smart HTTP (protocol v%s) without credentials',
      async version => {
        const dir = mockDir.resolve(`clone-v${version}`);
        await git([
          '-c',
          `protocol.version=${version}`,
          '-c',
          `http.extraHeader=${NONE}`,
          'clone',
          '--quiet',
          `${url}/new-service.git`,
          dir,
        ]);
        expect(fs.readFileSync(`${dir}/docs/index.md`, 'utf8')).toBe(
          '# Docs\n',
        );
        const { stdout } = await git(['log', '--format=%H %an'], dir);
        expect(stdout.trim()).toBe(`${commitHash} Jane Doe`);
      },
    );

    it('serves raw files without credentials', async () => {
      const res = await request(server)
        .get('/api/local-git/new-service/raw/main/catalog-info.yaml')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text).toBe('kind: Component\nmetadata:\n  name: svc\n');

      const byCommit = await request(server)
        .get(`/api/local-git/new-service/raw/${commitHash}/docs/index.md`)
        .set('Authorization', mockCredentials.none.header());
      expect(byCommit.text).toBe('# Docs\n');
    });

    it("lets the catalog's URL reader read catalog-info.yaml", async () => {
      const fileUrl = `${url}/new-service/raw/main/catalog-info.yaml`;
      const found = await urlReader.search(fileUrl);
      expect(found.files).toHaveLength(1);
      expect((await found.files[0].content()).toString()).toBe(
        'kind: Component\nmetadata:\n  name: svc\n',
      );
    });

    it('answers 404 for unknown repositories, refs and files', async () => {
      for (const path of [
        '/unknown/raw/main/catalog-info.yaml',
        '/new-service/raw/nope/catalog-info.yaml',
        '/new-service/raw/main/missing.yaml',
        '/unknown.git/info/refs?service=git-upload-pack',
      ]) {
        const res = await request(server).get(`/api/local-git${path}`);
        expect({
          path,
          status: res.status,
          name: res.body.error?.name,
        }).toEqual({ path, status: 404, name: 'NotFoundError' });
      }
      await expect(
        git(['clone', '--quiet', `${url}/unknown.git`, mockDir.resolve('x')]),
      ).rejects.toThrow(/not found/);
    });

    it.each([
      ['/UPPER/raw/main/a', 'repo'],
      ['/..%2F..%2Fetc/raw/main/passwd', 'repo'],
      ['/new-service/raw/main/..%2F..%2Fconfig', 'path'],
      ['/new-service/raw/-p/catalog-info.yaml', 'ref'],
      ['/new-service/info/refs?service=git-upload-pack', 'repo'],
      ['/..%2Fnew-service.git/info/refs?service=git-upload-pack', 'repo'],
      ['/new-service.git/info/refs', 'service'],
    ])('answers 400 for %s naming %s', async (path, field) => {
      const res = await request(server).get(`/api/local-git${path}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(new RegExp(`^${field} `)),
      });
    });

    it('refuses pushes with 403', async () => {
      const advertise = await request(server).get(
        '/api/local-git/new-service.git/info/refs?service=git-receive-pack',
      );
      expect(advertise.status).toBe(403);
      const push = await request(server)
        .post('/api/local-git/new-service.git/git-receive-pack')
        .set('Content-Type', 'application/x-git-receive-pack-request')
        .send(Buffer.from('0000'));
      expect(push.status).toBe(403);

      const dir = mockDir.resolve('push-clone');
      await git(['clone', '--quiet', `${url}/new-service.git`, dir]);
      await git(
        [
          '-c',
          'user.name=x',
          '-c',
          'user.email=x@x',
          'commit',
          '--allow-empty',
          '-qm',
          'x',
        ],
        dir,
      );
      await expect(git(['push', 'origin', 'HEAD:main'], dir)).rejects.toThrow(
        /403/,
      );
      const { stdout } = await git([
        `--git-dir=${mockDir.resolve('git/new-service.git')}`,
        'rev-list',
        '--all',
      ]);
      expect(stdout.trim()).toBe(commitHash);
    });

    it('lists repositories only with credentials', async () => {
      const res = await request(server).get('/api/local-git/repos');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            name: 'new-service',
            cloneUrl: 'http://localhost:7007/api/local-git/new-service.git',
            defaultBranch: 'main',
            headCommit: commitHash,
            createdAt: expect.any(String),
          },
        ],
      });
      const service = await request(server)
        .get('/api/local-git/repos')
        .set('Authorization', mockCredentials.service.header());
      expect(service.status).toBe(200);
      const none = await request(server)
        .get('/api/local-git/repos')
        .set('Authorization', mockCredentials.none.header());
      expect(none.status).toBe(401);
    });

    it('serves what later commits write: branches, new commits and executable bits', async () => {
      mockDir.addContent({
        'upgrade-source': { 'README.md': '# v1\n', mvnw: '#!/bin/sh\n' },
        'template-v2': { 'README.md': '# v2\n', mvnw: '#!/bin/sh\n' },
      });
      fs.chmodSync(mockDir.resolve('upgrade-source/mvnw'), 0o755);
      fs.chmodSync(mockDir.resolve('template-v2/mvnw'), 0o755);
      const repositories = new LocalGitRepositories({
        directory: mockDir.resolve('git'),
        baseUrl: 'http://unused',
      });
      const created = await repositories.createRepository({
        name: 'upgraded-service',
        sourceDir: mockDir.resolve('upgrade-source'),
        author: { name: 'Jane Doe', email: 'jane@example.com' },
        taskId: 'task-2',
      });
      const template = await repositories.commitDirectory({
        name: 'upgraded-service',
        branch: 'paved-road/template',
        sourceDir: mockDir.resolve('template-v2'),
        author: { name: 'Paved Road', email: 'paved-road@example.com' },
        message: 'Template v2',
      });
      await repositories.createBranch(
        'upgraded-service',
        'upgrade/v2',
        template.commitHash,
      );

      const dir = mockDir.resolve('clone-upgraded');
      await git(['clone', '--quiet', `${url}/upgraded-service.git`, dir]);
      expect(fs.statSync(`${dir}/mvnw`).mode & 0o111).toBe(0o111);
      const { stdout: remote } = await git(
        ['ls-remote', '--heads', 'origin'],
        dir,
      );
      expect(remote.trim().split('\n')).toEqual([
        `${created.commitHash}\trefs/heads/main`,
        `${template.commitHash}\trefs/heads/paved-road/template`,
        `${template.commitHash}\trefs/heads/upgrade/v2`,
      ]);
      await git(['checkout', '--quiet', 'upgrade/v2'], dir);
      expect(fs.readFileSync(`${dir}/README.md`, 'utf8')).toBe('# v2\n');
      expect(fs.statSync(`${dir}/mvnw`).mode & 0o111).toBe(0o111);
      const { stdout: log } = await git(['log', '--format=%an|%s'], dir);
      expect(log.trim()).toBe('Paved Road|Template v2');
    });

    it('answers health checks without credentials', async () => {
      const res = await request(server)
        .get('/api/local-git/health')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('without publicRead', () => {
    let server: Awaited<ReturnType<typeof start>>['server'];
    let url: string;
    beforeAll(async () => {
      ({ server, url } = await start(false));
    });

    it('requires credentials to clone and read', async () => {
      const raw = await request(server)
        .get('/api/local-git/new-service/raw/main/catalog-info.yaml')
        .set('Authorization', mockCredentials.none.header());
      expect(raw.status).toBe(401);
      const refs = await request(server)
        .get('/api/local-git/new-service.git/info/refs?service=git-upload-pack')
        .set('Authorization', mockCredentials.none.header());
      expect(refs.status).toBe(401);
      // git's reaction to a 401: it asks for a user name.
      await expect(
        git([
          '-c',
          `http.extraHeader=${NONE}`,
          'clone',
          `${url}/new-service.git`,
          mockDir.resolve('denied'),
        ]),
      ).rejects.toThrow(/could not read Username/);
    });

    it('serves callers with credentials', async () => {
      const raw = await request(server)
        .get('/api/local-git/new-service/raw/main/catalog-info.yaml')
        .set('Authorization', mockCredentials.service.header());
      expect(raw.status).toBe(200);

      const dir = mockDir.resolve('clone-with-token');
      await git([
        '-c',
        `http.extraHeader=Authorization: ${mockCredentials.user.header()}`,
        'clone',
        '--quiet',
        `${url}/new-service.git`,
        dir,
      ]);
      expect(fs.existsSync(`${dir}/catalog-info.yaml`)).toBe(true);
    });
  });
});
