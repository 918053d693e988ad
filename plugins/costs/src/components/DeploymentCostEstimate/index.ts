export { DeploymentCostEstimate } from './DeploymentCostEstimate';
export {
  DeploymentCostEstimateFieldSchema,
  type DeploymentCostEstimateUiOptions,
} from './schema';
