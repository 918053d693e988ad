import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { sampleOrg } from '../__fixtures__/sampleOrg';
import { createResolveCostCenterAction } from './resolveCostCenter';
import { examples } from './resolveCostCenter.examples';

describe('paved-road:cost-center:resolve examples', () => {
  const action = createResolveCostCenterAction({
    catalog: catalogServiceMock({ entities: sampleOrg }),
    auth: mockServices.auth(),
  });

  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe(action.id);
      const ctx = createMockActionContext({ input: step.input });
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith(
        'businessUnit',
        expect.stringMatching(/^group:default\/(payments|logistics)$/),
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'costCenter',
        expect.stringMatching(/^CC-\d{4}$/),
      );
    },
  );
});
