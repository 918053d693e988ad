import fs from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createWriteCatalogInfoAction } from './writeCatalogInfo';
import { examples } from './writeCatalogInfo.examples';

const DESCRIPTOR = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: new-service
spec:
  type: service
  lifecycle: experimental
  owner: group:default/guests
`;

describe('paved-road:catalog-info:annotate examples', () => {
  const workspace = createMockDirectory();
  const action = createWriteCatalogInfoAction();

  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe(action.id);
      const path = step.input.path ?? 'catalog-info.yaml';
      workspace.setContent({ [path]: DESCRIPTOR });

      // What `${{ parameters }}` renders to in a task.
      const answers = { name: 'new-service' };
      const ctx = createMockActionContext({
        input: step.input.parameters
          ? { ...step.input, parameters: answers }
          : step.input,
        workspacePath: workspace.path,
        templateInfo: {
          entityRef: 'template:default/new-service-template',
          entity: {
            metadata: {
              name: 'new-service-template',
              annotations: { 'backstage.io/template-version': '1.0.0' },
            },
          },
        },
      });
      await action.handler(ctx);

      const written = yaml.parse(
        fs.readFileSync(workspace.resolve(path), 'utf8'),
      );
      expect(written.spec.owner).toBe(step.input.owner);
      expect(written.metadata.annotations).toEqual({
        'paved-road.io/cost-center': step.input.costCenter,
        'paved-road.io/business-unit': step.input.businessUnit,
        'backstage.io/source-template': 'template:default/new-service-template',
        'paved-road.io/template-version': '1.0.0',
      });
      const answersFile = workspace.resolve('.paved-road/answers.yaml');
      expect(
        fs.existsSync(answersFile) &&
          yaml.parse(fs.readFileSync(answersFile, 'utf8')).answers,
      ).toEqual(step.input.parameters ? answers : false);
    },
  );
});
