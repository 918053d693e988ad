import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  LocalGitRepositories,
  validateRepoName,
} from '@paved-road/plugin-local-git-node';
import express from 'express';
import Router from 'express-promise-router';
import { serveGitUploadPack } from './gitHttpBackend';

/** Paths that `pavedRoad.localGit.publicRead` opens to unauthenticated reads. */
export const PUBLIC_READ_PATHS = [
  '/:repo/info/refs',
  '/:repo/git-upload-pack',
  '/:repo/raw',
];

const READ_ONLY_MESSAGE =
  'Local git repositories are read-only; pushing is not supported';

export async function createRouter(options: {
  repositories: LocalGitRepositories;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}): Promise<express.Router> {
  const { repositories, httpAuth, logger } = options;
  const router = Router();
  // No body parser on purpose: git-upload-pack streams the raw request body
  // into `git http-backend`.

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/repos', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: await repositories.listRepositories() });
  });

  // Smart HTTP, fetch only: what `git clone <baseUrl>/<name>.git` requests.
  router.get('/:repo/info/refs', async (req, res) => {
    const name = gitRepoParam(req.params.repo);
    const service = req.query.service;
    if (service === 'git-receive-pack') {
      throw new NotAllowedError(READ_ONLY_MESSAGE);
    }
    if (service !== 'git-upload-pack') {
      throw new InputError(
        'service must be git-upload-pack; only smart HTTP fetches are served',
      );
    }
    await assertExists(repositories, name);
    await serveGitUploadPack({
      req,
      res,
      logger,
      projectRoot: repositories.directory,
      pathInfo: `/${name}.git/info/refs`,
      queryString: 'service=git-upload-pack',
    });
  });

  router.post('/:repo/git-upload-pack', async (req, res) => {
    const name = gitRepoParam(req.params.repo);
    await assertExists(repositories, name);
    await serveGitUploadPack({
      req,
      res,
      logger,
      projectRoot: repositories.directory,
      pathInfo: `/${name}.git/git-upload-pack`,
      queryString: '',
    });
  });

  router.post('/:repo/git-receive-pack', async () => {
    throw new NotAllowedError(READ_ONLY_MESSAGE);
  });

  // Raw files, e.g. the new project's catalog-info.yaml for the catalog's
  // URL reader. The ref is one URL segment (`release%2F1.0` for a branch
  // with a slash); the rest of the path is the file.
  router.get('/:repo/raw/:ref/*', async (req, res) => {
    const name = validateRepoName(req.params.repo, 'repo');
    const path = (req.params as unknown as Record<string, string>)[0];
    const content = await repositories.readFile(name, req.params.ref, path);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-cache');
    res.send(content);
  });

  return router;
}

function gitRepoParam(param: string): string {
  if (!param.endsWith('.git')) {
    throw new InputError(
      `repo must be <name>.git; got ${JSON.stringify(param)}`,
    );
  }
  return validateRepoName(param.slice(0, -'.git'.length), 'repo');
}

async function assertExists(repositories: LocalGitRepositories, name: string) {
  if (!(await repositories.exists(name))) {
    throw new NotFoundError(`Repository ${name} not found`);
  }
}
