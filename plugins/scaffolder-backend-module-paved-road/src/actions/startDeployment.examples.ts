import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Deploy the new service to production once the catalog has it, when the user asked for it in the form.',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'paved-road:deployment:start',
          name: 'Deploy the first version',
          if: '${{ parameters.deployAfterCreation }}',
          input: {
            entityRef: 'component:default/orders-service',
          },
        },
      ],
    }),
  },
  {
    description: 'Deploy a tag to staging instead of production.',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'paved-road:deployment:start',
          name: 'Deploy v1.0.0 to staging',
          input: {
            entityRef: 'component:default/orders-service',
            ref: 'v1.0.0',
            environment: 'staging',
          },
        },
      ],
    }),
  },
];
