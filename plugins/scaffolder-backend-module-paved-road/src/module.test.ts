import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModulePavedRoad } from './module';

describe('scaffolderModulePavedRoad', () => {
  const start = (config: object) => {
    const addActions = jest.fn();
    const backend = startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModulePavedRoad,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return { backend, addActions };
  };

  it('registers all its actions', async () => {
    const { backend, addActions } = start({});
    await backend;
    expect(addActions.mock.calls.flat().map(a => a.id)).toEqual([
      'paved-road:cost-center:resolve',
      'paved-road:catalog-info:annotate',
      'publish:local-git',
      'paved-road:publish',
      'paved-road:catalog:assert-name-free',
      'paved-road:catalog:register',
      'paved-road:catalog:await-entity',
      'paved-road:project:record',
    ]);
  });

  it('refuses to start with an invalid cost center pattern', async () => {
    const { backend } = start({ pavedRoad: { costCenterPattern: '[' } });
    await expect(backend).rejects.toThrow(/costCenterPattern/);
  });
});
