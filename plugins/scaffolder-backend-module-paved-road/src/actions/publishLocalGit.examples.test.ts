import { execFileSync } from 'node:child_process';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  isolatedGitEnv,
  LocalGitRepositories,
} from '@paved-road/plugin-local-git-node';
import yaml from 'yaml';
import { createPublishLocalGitAction } from './publishLocalGit';
import { examples } from './publishLocalGit.examples';

describe('publish:local-git examples', () => {
  const mockDir = createMockDirectory();
  const repositories = new LocalGitRepositories({
    directory: mockDir.resolve('git'),
    baseUrl: 'http://localhost:7007/api/local-git',
  });
  const action = createPublishLocalGitAction({ repositories });

  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_description, example) => {
      const step = yaml
        .parse(example)
        .steps.find((s: { action: string }) => s.action === action.id);
      const sourcePath = step.input.sourcePath ?? '.';
      mockDir.setContent({
        [`workspace/${sourcePath}/catalog-info.yaml`]: 'kind: Component\n',
      });

      const ctx = createMockActionContext({
        input: step.input,
        workspacePath: mockDir.resolve('workspace'),
      });
      await action.handler(ctx);

      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      const branch = step.input.defaultBranch ?? 'main';
      expect(outputs.catalogInfoUrl).toBe(
        `http://localhost:7007/api/local-git/${step.input.repoName}/raw/${branch}/catalog-info.yaml`,
      );
      const file = execFileSync(
        'git',
        [
          `--git-dir=${mockDir.resolve(`git/${step.input.repoName}.git`)}`,
          'show',
          `${branch}:catalog-info.yaml`,
        ],
        { env: isolatedGitEnv() },
      ).toString();
      expect(file).toBe('kind: Component\n');
    },
  );
});
