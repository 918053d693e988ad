import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Default the cost center to the owner's business unit default",
    example: yaml.stringify({
      steps: [
        {
          id: 'costCenter',
          action: 'paved-road:cost-center:resolve',
          name: 'Resolve cost center',
          input: { owner: 'group:default/checkout' },
        },
      ],
    }),
  },
  {
    description:
      'Validate the cost center picked in the form against the business unit',
    example: yaml.stringify({
      steps: [
        {
          id: 'costCenter',
          action: 'paved-road:cost-center:resolve',
          name: 'Resolve cost center',
          input: { owner: 'group:default/warehouse', costCenter: 'CC-2002' },
        },
      ],
    }),
  },
];
