import { Entity } from '@backstage/catalog-model';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export const LOCAL_GIT_BASE_URL = 'http://localhost:7007/api/local-git';

/** deploy/paved-road.yaml as the Kotlin service template renders it. */
export const DESCRIPTOR = `# Deployment settings as code. Backstage (Paved Road) shows, edits and audits
# these values; this file is the source of truth.
apiVersion: paved-road.io/v1
kind: DeploymentSettings
metadata:
  name: orders-kt
spec:
  cluster: local
  replicas: 2 # two is enough for now
  cpuMillicores: 500
  memoryMiB: 512
  regions:
    - eu-west-1
  rollout:
    strategy: canary
    canaryPercent: 50
    healthCheckPath: /actuator/health
`;

export const CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-kt
  description: "Orders"
  annotations:
    backstage.io/source-location: url:${LOCAL_GIT_BASE_URL}/orders-kt.git
    paved-road.io/cost-center: CC-1001
    paved-road.io/business-unit: group:default/commerce
    paved-road.io/deployment: deploy/paved-road.yaml
spec:
  type: service
  lifecycle: experimental
  owner: group:default/checkout
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-kt-api
spec:
  type: openapi
  lifecycle: experimental
  owner: group:default/checkout
  definition: openapi
`;

export const PROJECT_SETTINGS = {
  cluster: 'local',
  replicas: 2,
  cpuMillicores: 500,
  memoryMiB: 512,
  regions: ['eu-west-1'],
  rollout: {
    strategy: 'canary' as const,
    canaryPercent: 50,
    healthCheckPath: '/actuator/health',
  },
};

export const PROJECT_REF = 'component:default/orders-kt';

/** The entity the catalog reads from CATALOG_INFO. */
export const projectEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-kt',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `url:${LOCAL_GIT_BASE_URL}/orders-kt/raw/main/catalog-info.yaml`,
      'backstage.io/source-location': `url:${LOCAL_GIT_BASE_URL}/orders-kt.git`,
      'paved-road.io/cost-center': 'CC-1001',
      'paved-road.io/business-unit': 'group:default/commerce',
      'paved-road.io/deployment': 'deploy/paved-road.yaml',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/checkout',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/checkout' }],
};

export const userEntity = (name: string, email: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName: `${name} Person`, email } },
});

/** Runs git (isolated from the machine's config) and returns stdout. */
export function gitSync(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  });
}

/**
 * A local git hosting directory holding `orders-kt.git`, created the way
 * `paved-road:publish` creates a project (one initial commit with the task
 * trailer).
 */
export async function createLocalGitProject(
  root = fs.mkdtempSync(join(os.tmpdir(), 'deployments-git-')),
) {
  const source = join(root, 'source');
  fs.mkdirSync(join(source, 'deploy'), { recursive: true });
  fs.writeFileSync(join(source, 'deploy', 'paved-road.yaml'), DESCRIPTOR);
  fs.writeFileSync(join(source, 'catalog-info.yaml'), CATALOG_INFO);
  fs.writeFileSync(join(source, 'README.md'), '# orders-kt\n');
  const repositories = new LocalGitRepositories({
    directory: join(root, 'git'),
    baseUrl: LOCAL_GIT_BASE_URL,
  });
  const created = await repositories.createRepository({
    name: 'orders-kt',
    sourceDir: source,
    author: { name: 'Guest Developer', email: 'guest@example.com' },
    taskId: 'task-1',
  });
  const gitDir = repositories.repositoryPath('orders-kt');

  /** Commits `content` to `path` as someone working in the repository. */
  const pushChange = (
    path: string,
    content: string,
    message: string,
    author = 'Bob Builder <bob@example.com>',
  ) => {
    const clone = fs.mkdtempSync(join(root, 'clone-'));
    gitSync(['clone', '--quiet', gitDir, clone]);
    fs.writeFileSync(join(clone, path), content);
    gitSync(['add', path], clone);
    gitSync(
      [
        '-c',
        'user.name=Committer',
        '-c',
        'user.email=committer@example.com',
        'commit',
        '--quiet',
        `--author=${author}`,
        '-m',
        message,
      ],
      clone,
    );
    gitSync(['push', '--quiet', 'origin', 'HEAD:main'], clone);
    fs.rmSync(clone, { recursive: true, force: true });
    return gitSync(['--git-dir', gitDir, 'rev-parse', 'main']).trim();
  };

  return {
    root,
    directory: join(root, 'git'),
    repositories,
    gitDir,
    initialCommit: created.commitHash,
    pushChange,
    git: (...args: string[]) => gitSync(['--git-dir', gitDir, ...args]),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
