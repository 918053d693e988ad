import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Wait for the component that the register step just added, at most 30 seconds.',
    example: yaml.stringify({
      steps: [
        {
          id: 'awaitEntity',
          action: 'paved-road:catalog:await-entity',
          name: 'Wait for the catalog',
          input: {
            entityRef: 'component:default/orders-service',
            timeoutSeconds: 30,
          },
        },
      ],
    }),
  },
];
