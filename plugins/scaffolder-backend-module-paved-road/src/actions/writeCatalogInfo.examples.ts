import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write the resolved owner, business unit and cost center into catalog-info.yaml',
    example: yaml.stringify({
      steps: [
        {
          id: 'annotate',
          action: 'paved-road:catalog-info:annotate',
          name: 'Annotate catalog-info.yaml',
          input: {
            owner: 'group:default/checkout',
            businessUnit: 'group:default/payments',
            costCenter: 'CC-1001',
          },
        },
      ],
    }),
  },
  {
    description: 'Annotate a descriptor that is not at the workspace root',
    example: yaml.stringify({
      steps: [
        {
          id: 'annotate',
          action: 'paved-road:catalog-info:annotate',
          name: 'Annotate the service descriptor',
          input: {
            path: 'service/catalog-info.yaml',
            owner: 'group:default/fleet',
            businessUnit: 'group:default/logistics',
            costCenter: 'CC-2001',
          },
        },
      ],
    }),
  },
  {
    description:
      'Also record the template version and the answers (without secrets) in .paved-road/answers.yaml',
    example: yaml.stringify({
      steps: [
        {
          id: 'annotate',
          action: 'paved-road:catalog-info:annotate',
          name: 'Write owner, cost center and answers',
          input: {
            owner: 'group:default/checkout',
            businessUnit: 'group:default/payments',
            costCenter: 'CC-1001',
            parameters: '${{ parameters }}',
          },
        },
      ],
    }),
  },
];
