import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * `scaffolder-form-field:costs/deployment-cost-estimate`: the
 * `ui:field: DeploymentCostEstimate` of templates.
 *
 * @alpha
 */
export const deploymentCostEstimateFormField = FormFieldBlueprint.make({
  name: 'deployment-cost-estimate',
  params: {
    field: () =>
      import('./formFields').then(m => m.DeploymentCostEstimateFormField),
  },
});
