import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuditStore } from '../database/AuditStore';
import { CatalogHygieneReporter } from '../hygiene/CatalogHygieneReporter';
import { createCreateProjectAction } from './createCreateProjectAction';
import { createGetProjectAction } from './createGetProjectAction';
import { createGetProjectCreationStatusAction } from './createGetProjectCreationStatusAction';
import { createListAuditEventsAction } from './createListAuditEventsAction';
import { createListTemplatesAction } from './createListTemplatesAction';
import { ScaffolderTasks } from './ScaffolderTasks';

/**
 * Templates, project creation, project metadata and the audit trail as
 * actions (exposed over MCP by mcp-actions-backend). Each runs as the
 * caller: the catalog, the scaffolder and the deployments and costs
 * plugins see the user's own credentials.
 */
export function registerPavedRoadActions(options: {
  actionsRegistry: ActionsRegistryService;
  config: Config;
  catalog: CatalogService;
  discovery: DiscoveryService;
  auth: AuthService;
  store: AuditStore;
  reporter: Pick<CatalogHygieneReporter, 'getReport'>;
}) {
  const tasks = new ScaffolderTasks(options);
  createListTemplatesAction(options);
  createCreateProjectAction({ ...options, tasks });
  createGetProjectCreationStatusAction({ ...options, tasks });
  createGetProjectAction(options);
  createListAuditEventsAction(options);
}
