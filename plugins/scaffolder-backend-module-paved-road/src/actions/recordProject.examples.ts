import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Record a new service after registering it, with the owner and cost center resolved earlier in the template and the answers the user gave.',
    example: yaml.stringify({
      steps: [
        {
          id: 'record',
          action: 'paved-road:project:record',
          name: 'Record in the audit trail',
          input: {
            entityRef: 'component:default/orders-service',
            owner: 'group:default/checkout',
            businessUnit: 'group:default/payments',
            costCenter: 'CC-1001',
            repoUrl: 'http://localhost:7007/api/local-git/orders-service.git',
            parameters: {
              name: 'orders-service',
              owner: 'group:default/checkout',
              javaVersion: '25',
            },
          },
        },
      ],
    }),
  },
];
