import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

export const catalogModulePavedRoad = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-road',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('Hello World!');
      },
    });
  },
});
