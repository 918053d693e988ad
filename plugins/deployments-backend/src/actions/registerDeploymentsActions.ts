import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DeploymentService } from '../deploy/DeploymentService';
import { ServiceLevelObjectivesService } from '../service/ServiceLevelObjectivesService';
import { SettingsService } from '../service/SettingsService';
import { createDeployProjectAction } from './createDeployProjectAction';
import { createGetDeploymentAction } from './createGetDeploymentAction';
import { createGetDeploymentSettingsAction } from './createGetDeploymentSettingsAction';
import { createGetServiceLevelObjectivesAction } from './createGetServiceLevelObjectivesAction';
import { createRollbackDeploymentAction } from './createRollbackDeploymentAction';
import { createUpdateDeploymentSettingsAction } from './createUpdateDeploymentSettingsAction';

/**
 * Settings and deployments as actions (exposed over MCP by
 * mcp-actions-backend). Each runs as the caller's credentials through the
 * services the REST routes use, so permissions, validation and audit are
 * the same.
 */
export function registerDeploymentsActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  logger: LoggerService;
  settings: SettingsService;
  slos: ServiceLevelObjectivesService;
  deployments: DeploymentService;
}) {
  createGetDeploymentSettingsAction(options);
  createGetServiceLevelObjectivesAction(options);
  createUpdateDeploymentSettingsAction(options);
  createDeployProjectAction(options);
  createGetDeploymentAction(options);
  createRollbackDeploymentAction(options);
}
