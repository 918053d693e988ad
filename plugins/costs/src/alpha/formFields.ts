import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DeploymentCostEstimate,
  DeploymentCostEstimateFieldSchema,
} from '../components/DeploymentCostEstimate';

/** Loaded lazily by the scaffolder when a form is opened. */
export const DeploymentCostEstimateFormField = createFormField({
  name: 'DeploymentCostEstimate',
  component: DeploymentCostEstimate,
  schema: DeploymentCostEstimateFieldSchema,
});
