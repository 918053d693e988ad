import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import yaml from 'yaml';
import { createPlanRepositoryAction } from './planRepository';
import { examples } from './planRepository.examples';

describe('paved-road:publish:plan examples', () => {
  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_description, example) => {
      const action = createPlanRepositoryAction({
        config: new ConfigReader({
          pavedRoad: { publish: { target: 'local-git' } },
        }),
        repositories: new LocalGitRepositories({
          directory: '/nonexistent',
          baseUrl: 'http://localhost:7007/api/local-git',
        }),
      });
      const step = yaml
        .parse(example)
        .steps.find((s: { action: string }) => s.action === action.id);
      const ctx = createMockActionContext({ input: step.input });
      await action.handler(ctx);
      expect(Object.fromEntries((ctx.output as jest.Mock).mock.calls)).toEqual(
        expect.objectContaining({
          remoteUrl: 'http://localhost:7007/api/local-git/checkout-service.git',
        }),
      );
    },
  );
});
