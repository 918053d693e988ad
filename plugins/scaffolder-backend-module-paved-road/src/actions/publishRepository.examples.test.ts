import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import yaml from 'yaml';
import { createPublishRepositoryAction } from './publishRepository';
import { examples } from './publishRepository.examples';

describe('paved-road:publish examples', () => {
  const mockDir = createMockDirectory();
  const repositories = new LocalGitRepositories({
    directory: mockDir.resolve('git'),
    baseUrl: 'http://localhost:7007/api/local-git',
  });

  const run = async (
    example: string,
    publish: object,
    options: { isDryRun?: boolean } = {},
  ) => {
    const action = createPublishRepositoryAction({
      config: new ConfigReader({
        pavedRoad: { publish },
        integrations: { github: [{ host: 'github.com', token: 'unused' }] },
      }),
      repositories,
    });
    const step = yaml
      .parse(example)
      .steps.find((s: { action: string }) => s.action === action.id);
    mockDir.setContent({ 'workspace/catalog-info.yaml': 'kind: Component\n' });
    const ctx = createMockActionContext({
      input: step.input,
      workspacePath: mockDir.resolve('workspace'),
    });
    await action.handler({ ...ctx, isDryRun: options.isDryRun });
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  };

  it.each(examples.map(e => [e.description, e.example]))(
    'publishes to local git: %s',
    async (_description, example) => {
      const outputs = await run(example, { target: 'local-git' });
      expect(outputs.catalogInfoUrl).toMatch(
        /^http:\/\/localhost:7007\/api\/local-git\/[a-z-]+\/raw\/main\/catalog-info\.yaml$/,
      );
      expect(outputs.commitHash).toMatch(/^[0-9a-f]{40}$/);
    },
  );

  it.each(examples.map(e => [e.description, e.example]))(
    'previews GitHub: %s',
    async (_description, example) => {
      const outputs = await run(
        example,
        { target: 'github', github: { owner: 'acme' } },
        { isDryRun: true },
      );
      expect(outputs.catalogInfoUrl).toMatch(
        /^https:\/\/github\.com\/acme\/[a-z-]+\/blob\/main\/catalog-info\.yaml$/,
      );
    },
  );
});
