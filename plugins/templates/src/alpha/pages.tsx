import { PageBlueprint } from '@backstage/frontend-plugin-api';
import HealingIcon from '@material-ui/icons/Healing';
import { templateHealthRouteRef } from '../routes';

/**
 * `page:templates/template-health` at `/template-health`: every template's
 * verdict and figures, for platform engineers.
 *
 * @alpha
 */
export const templateHealthPage = PageBlueprint.make({
  name: 'template-health',
  params: {
    path: '/template-health',
    routeRef: templateHealthRouteRef,
    title: 'Template health',
    icon: <HealingIcon fontSize="inherit" />,
    loader: () =>
      import('../components/TemplateHealthPage').then(m => (
        <m.TemplateHealthPage />
      )),
  },
});
