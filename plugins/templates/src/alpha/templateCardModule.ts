import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SwappableComponentBlueprint } from '@backstage/plugin-app-react';
import { TemplateCard } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * `component:app/scaffolder-template-card`: the create page's template card
 * with each template's health verdict and "Report a problem".
 */
export const templateCardWithHealth = SwappableComponentBlueprint.make({
  name: 'scaffolder-template-card',
  params: defineParams =>
    defineParams({
      component: TemplateCard,
      loader: () =>
        import('../components/TemplateCardWithHealth').then(
          m => m.TemplateCardWithHealth,
        ),
    }),
});

/**
 * Puts the health verdict on the create page's template cards. Swappable
 * components belong to the app (its `api:app/swappable-components` input is
 * internal), so this is an app module: add it to `createApp({ features })`.
 *
 * @alpha
 */
export const appModuleTemplateCardWithHealth = createFrontendModule({
  pluginId: 'app',
  extensions: [templateCardWithHealth],
});
