import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createRecordProjectAction } from './recordProject';
import { examples } from './recordProject.examples';

describe('paved-road:project:record examples', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    'runs: %s',
    async (_description, example) => {
      const record = jest.fn(async () => {});
      const action = createRecordProjectAction({ audit: { record } });
      const ctx = createMockActionContext({
        input: yaml.parse(example.example).steps[0].input,
        user: { ref: 'user:default/guest' },
        templateInfo: { entityRef: 'template:default/kotlin-spring-service' },
      });

      await action.handler(ctx);

      expect(record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: 'project.created',
          actor: 'user:default/guest',
        }),
      );
    },
  );
});
