import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isTemplateHealthAvailable } from '../conditions';

/**
 * `entity-card:templates/template-health` on templates and on projects made
 * from one: the verdict, the figures and "Report a problem with this
 * template".
 *
 * @alpha
 */
export const templateHealthEntityCard = EntityCardBlueprint.make({
  name: 'template-health',
  params: {
    filter: isTemplateHealthAvailable,
    loader: () =>
      import('../components/EntityTemplateHealthCard').then(m => (
        <m.EntityTemplateHealthCard />
      )),
  },
});
