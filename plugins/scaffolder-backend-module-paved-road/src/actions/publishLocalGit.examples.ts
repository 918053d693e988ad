import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace to the local git hosting and register it in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:local-git',
          name: 'Publish',
          input: {
            repoName: 'checkout-service',
            description: 'Checkout service of the Payments business unit',
          },
        },
        {
          id: 'register',
          action: 'catalog:register',
          name: 'Register',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish a subdirectory of the workspace on a custom branch with a commit message',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:local-git',
          name: 'Publish',
          input: {
            repoName: 'fleet-lib',
            sourcePath: 'library',
            defaultBranch: 'trunk',
            gitCommitMessage:
              'Create fleet-lib from the Kotlin library template',
          },
        },
      ],
    }),
  },
];
