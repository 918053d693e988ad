import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ReadRollup } from '../rollups/readRollup';
import { EntityCostReportDeps } from '../service/entityCostReport';
import { createGetCostRollupAction } from './createGetCostRollupAction';
import { createGetProjectCostsAction } from './createGetProjectCostsAction';

/**
 * Cost reads as actions (exposed over MCP by mcp-actions-backend), through
 * the functions the REST routes use, as the caller's credentials.
 */
export function registerCostsActions(
  options: EntityCostReportDeps & {
    actionsRegistry: ActionsRegistryService;
    readRollup: ReadRollup;
  },
) {
  const { readRollup, ...reportDeps } = options;
  createGetProjectCostsAction(reportDeps);
  createGetCostRollupAction({
    actionsRegistry: options.actionsRegistry,
    readRollup,
  });
}
