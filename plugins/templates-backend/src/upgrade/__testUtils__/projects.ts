import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  commitDirectory,
  isolatedGitEnv,
  LocalGitRepositories,
} from '@paved-road/plugin-local-git-node';
import { createProjectHosts } from '../../hosts/locateProject';
import { startScaffolder } from '../../render/__testUtils__/scaffolder';
import { UpgradeRunner } from '../UpgradeRunner';

export const LOCAL_GIT_URL = 'http://localhost:7007/api/local-git';

export const author = { name: 'Jane Doe', email: 'jane.doe@example.com' };

/** git in the bare repository `gitDir`, stdout as text. */
export function gitIn(gitDir: string) {
  return (...args: string[]) =>
    execFileSync('git', [`--git-dir=${gitDir}`, ...args], {
      env: isolatedGitEnv(),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
}

/** The team's commit on main of a local git project: `edit` changes its files. */
export async function teamEdits(
  gitDir: string,
  workRoot: string,
  edit: (dir: string) => Promise<void>,
) {
  const dir = await fs.mkdtemp(join(workRoot, 'work-'));
  const archive = execFileSync(
    'git',
    [`--git-dir=${gitDir}`, 'archive', 'main'],
    {
      env: isolatedGitEnv(),
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  await edit(dir);
  await commitDirectory(gitDir, {
    branch: 'main',
    sourceDir: dir,
    author,
    message: 'Our own changes',
    expectedHead: gitIn(gitDir)('rev-parse', 'main').trim(),
  });
}

/**
 * An upgrade runner as the plugin wires it, for projects `names` published
 * to local git in `gitDir` and the catalog's `template`.
 */
export function localGitRunner(options: {
  scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  gitDir: string;
  template: Entity;
  names: string[];
}) {
  // As the catalog has them once registered: read from local git.
  const projects = options.names.map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `url:${LOCAL_GIT_URL}/${name}/raw/main/catalog-info.yaml`,
      },
    },
    spec: { type: 'service', owner: 'group:default/checkout' },
  }));
  return new UpgradeRunner({
    renderer: options.scaffolder.renderer(
      catalogServiceMock({ entities: [options.template] }),
    ),
    // Local git: the upgrade works in the hosted bare repository itself.
    hosts: createProjectHosts({
      config: new ConfigReader({}),
      localGit: new LocalGitRepositories({
        directory: options.gitDir,
        baseUrl: LOCAL_GIT_URL,
      }),
    }),
    logger: mockServices.logger.mock(),
    catalog: catalogServiceMock({ entities: projects }),
    auth: options.scaffolder.auth,
  });
}
