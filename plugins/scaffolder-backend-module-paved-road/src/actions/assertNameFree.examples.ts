import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Refuse the run before anything is written when component:default/<name> exists.',
    example: yaml.stringify({
      steps: [
        {
          id: 'nameFree',
          action: 'paved-road:catalog:assert-name-free',
          name: 'Check the name is free',
          input: { kind: 'Component', name: 'new-orders-service' },
        },
      ],
    }),
  },
  {
    description: 'Check a new template name in its namespace.',
    example: yaml.stringify({
      steps: [
        {
          id: 'nameFree',
          action: 'paved-road:catalog:assert-name-free',
          name: 'Check the name is free',
          input: {
            kind: 'Template',
            namespace: 'default',
            name: 'python-service',
          },
        },
      ],
    }),
  },
];
