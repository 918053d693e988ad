import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to the Paved Road 👋

Pick a template, answer a few questions, and get a Kotlin service or library
that builds, tests and deploys on day one, linked to its owner and cost center.

- **Create a project**: [Software Templates](/create)
- **Browse services, teams and business units**: [Catalog](/catalog)
- **Deployments and cost** live on each service's page, in the
  *Deployments* and *Cost* tabs.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'Where to start on the Paved Road',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
