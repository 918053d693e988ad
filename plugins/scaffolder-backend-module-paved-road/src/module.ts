import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { compileCostCenterPattern } from '@paved-road/plugin-paved-road-common';
import { pavedRoadAuditServiceRef } from '@paved-road/plugin-paved-road-node';
import { createAssertNameFreeAction } from './actions/assertNameFree';
import { createAwaitEntityAction } from './actions/awaitEntity';
import { createPlanRepositoryAction } from './actions/planRepository';
import { createPublishLocalGitAction } from './actions/publishLocalGit';
import { createPublishRepositoryAction } from './actions/publishRepository';
import { createRecordProjectAction } from './actions/recordProject';
import { createRegisterCatalogInfoAction } from './actions/registerCatalogInfo';
import { createResolveCostCenterAction } from './actions/resolveCostCenter';
import { createStartDeploymentAction } from './actions/startDeployment';
import { createWriteCatalogInfoAction } from './actions/writeCatalogInfo';
import { checkPublishTarget } from './publishTargetCheck';

/**
 * @public
 * Registers the Paved Road scaffolder actions:
 * `paved-road:cost-center:resolve`, `paved-road:catalog-info:annotate`,
 * `paved-road:publish:plan`, `paved-road:publish`,
 * `publish:local-git` (with `pavedRoad.publish.target: local-git` only),
 * `paved-road:catalog:assert-name-free`, `paved-road:catalog:register`,
 * `paved-road:catalog:await-entity`, `paved-road:project:record` and
 * `paved-road:deployment:start` (always: without the deployments backend it
 * fails its step saying deployments are not set up in this portal).
 * Refuses to start when the publish target cannot work in this backend
 * (see publishTargetCheck.ts).
 */
export const scaffolderModulePavedRoad = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved-road',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        instanceMetadata: coreServices.rootInstanceMetadata,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        audit: pavedRoadAuditServiceRef,
        scaffolderActions: scaffolderActionsExtensionPoint,
      },
      async init({
        config,
        instanceMetadata,
        logger,
        auth,
        discovery,
        permissions,
        urlReader,
        catalog,
        audit,
        scaffolderActions,
      }) {
        let costCenterPattern: RegExp;
        try {
          costCenterPattern = compileCostCenterPattern(
            config.getOptionalString('pavedRoad.costCenterPattern'),
          );
        } catch (error) {
          throw new InputError(
            'pavedRoad.costCenterPattern is not a valid regular expression',
            error,
          );
        }
        const repositories = LocalGitRepositories.fromConfig(config);
        const { target } = await checkPublishTarget({
          config,
          instanceMetadata,
          repositories,
          logger,
        });

        scaffolderActions.addActions(
          createResolveCostCenterAction({ catalog, auth, costCenterPattern }),
          createWriteCatalogInfoAction({
            costCenterPattern,
            reader: urlReader,
            catalog,
            auth,
          }),
        );
        if (target === 'local-git') {
          scaffolderActions.addActions(
            createPublishLocalGitAction({ repositories, catalog, auth }),
          );
        }
        scaffolderActions.addActions(
          createPlanRepositoryAction({ config, repositories }),
          createPublishRepositoryAction({
            config,
            repositories,
            catalog,
            auth,
          }),
          createAssertNameFreeAction({ catalog, auth }),
          createRegisterCatalogInfoAction({
            catalog,
            auth,
            config,
            repositories,
            audit,
            permissions,
          }),
        );
        scaffolderActions.addActions(
          createAwaitEntityAction({ catalog, auth }),
          createRecordProjectAction({
            audit,
            reader: urlReader,
            catalog,
            auth,
          }),
          createStartDeploymentAction({ auth, discovery }),
        );
      },
    });
  },
});
