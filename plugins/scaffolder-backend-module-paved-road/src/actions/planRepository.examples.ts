import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write the repository URL into the project before publishing it, wherever the installation publishes',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'paved-road:publish:plan',
          name: 'Plan the repository',
          input: { repoName: 'checkout-service' },
        },
        {
          id: 'fetch',
          action: 'fetch:template',
          name: 'Render',
          input: {
            url: './skeleton',
            values: {
              name: 'checkout-service',
              repoUrl: '${{ steps.plan.output.remoteUrl }}',
              repoSlug: '${{ steps.plan.output.repoSlug }}',
            },
          },
        },
        {
          id: 'publish',
          action: 'paved-road:publish',
          name: 'Publish',
          input: { repoName: 'checkout-service' },
        },
      ],
    }),
  },
];
