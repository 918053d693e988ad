import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { isolatedGitEnv } from '@paved-road/plugin-local-git-node';
import { ANSWERS_FILE, parseAnswersFile } from '../templates/answers';
import {
  REPO_ROOT,
  startScaffolder,
  templateEntity,
  upToPublish,
  withFormDefaults,
} from './__testUtils__/scaffolder';

jest.setTimeout(60_000);

const TEMPLATE_DIR = join(REPO_ROOT, 'templates/kotlin-spring-service');

const values = {
  name: 'orders-service',
  description: 'Takes <orders> & "ships" them: fast',
  owner: 'group:default/checkout',
  system: 'system:default/payments-platform',
  costCenter: '',
  groupId: 'com.example',
  basePackage: '',
  javaVersion: '25',
  deployment: {
    cluster: 'local',
    replicas: 3,
    cpuMillicores: 500,
    memoryMiB: 512,
    regions: ['eu-west-1', 'us-east-1'],
    rollout: { strategy: 'rolling' },
  },
  deployAfterCreation: false,
};

describe('TemplateRenderer', () => {
  let gitDir: string;
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let template: Awaited<ReturnType<typeof templateEntity>>;

  beforeAll(async () => {
    gitDir = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-render-test-'));
    template = upToPublish(await templateEntity(TEMPLATE_DIR));
    scaffolder = await startScaffolder({ gitDir, entities: [template] });
  });

  afterAll(async () => {
    await scaffolder?.stop();
    await fs.rm(gitDir, { recursive: true, force: true });
  });

  it("re-renders kotlin-spring-service with a task's stored answers to that task's pristine tree", async () => {
    await scaffolder.runTask({
      templateRef: 'template:default/kotlin-spring-service',
      values: withFormDefaults(template, values),
    });
    const bare = join(gitDir, 'orders-service.git');
    const git = (...args: string[]) =>
      execFileSync('git', [`--git-dir=${bare}`, ...args], {
        env: isolatedGitEnv(),
        maxBuffer: 64 * 1024 * 1024,
      });
    const pristine = new Map(
      git('ls-tree', '-r', '-z', 'paved-road/template')
        .toString('utf8')
        .split('\0')
        .filter(Boolean)
        .map(line => {
          const [meta, path] = line.split('\t');
          const [mode, , blob] = meta.split(' ');
          return [path, { mode, blob }] as const;
        }),
    );
    const stored = parseAnswersFile(
      git('show', `paved-road/template:${ANSWERS_FILE}`).toString('utf8'),
    );
    expect(stored.version).toBe('2.0.0');

    const render = await scaffolder
      .renderer(catalogServiceMock({ entities: [template] }))
      .render({
        templateRef: 'template:default/kotlin-spring-service',
        answers: stored.answers,
        head: {
          executable: [...pristine]
            .filter(([, e]) => e.mode === '100755')
            .map(([path]) => path),
        },
      });
    try {
      expect(render.template.version).toBe('2.0.0');
      const rendered = new Map<string, { mode: string; blob: string }>();
      for (const path of await listFiles(render.dir)) {
        const file = join(render.dir, path);
        const stat = await fs.stat(file);
        rendered.set(path, {
          mode: stat.mode & 0o100 ? '100755' : '100644',
          blob: git('hash-object', file).toString('utf8').trim(),
        });
      }
      // Every file the same, byte for byte and mode for mode.
      expect(Object.fromEntries(rendered)).toEqual(
        Object.fromEntries(pristine),
      );
    } finally {
      await render.dispose();
    }
    await expect(fs.stat(render.dir)).rejects.toThrow();
  });
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter(e => e.isFile())
    .map(e => relative(root, join(e.parentPath, e.name)))
    .sort();
}
