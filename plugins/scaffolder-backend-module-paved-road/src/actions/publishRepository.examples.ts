import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish wherever the installation publishes (local git or GitHub) and register the result',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'paved-road:publish',
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
      'Publish to an explicit GitHub repository picked with RepoUrlPicker, acting as the user',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'paved-road:publish',
          name: 'Publish',
          input: {
            repoUrl: 'github.com?owner=acme&repo=fleet-lib',
            repoVisibility: 'internal',
            token: '${{ secrets.USER_OAUTH_TOKEN }}',
          },
        },
      ],
    }),
  },
];
