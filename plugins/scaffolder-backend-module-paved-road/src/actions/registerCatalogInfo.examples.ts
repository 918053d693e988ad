import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Register the catalog-info.yaml of the repository the publish step created.',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'paved-road:catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl:
              'http://localhost:7007/api/local-git/orders-service/raw/main/catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
