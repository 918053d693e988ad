import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import UpdateIcon from '@material-ui/icons/Update';
import { templateUpgradesApiRef } from '../api/TemplateUpgradesApi';
import { TemplateUpgradesClient } from '../api/TemplateUpgradesClient';
import { templateFleetRouteRef } from '../components/TemplateFleetPage/routes';
import { isTemplateUpgradeAvailable } from '../components/TemplateUpgradeCard/conditions';

/** `api:templates/upgrades`: project upgrades and template fleets. */
export const templateUpgradesApi = ApiBlueprint.make({
  name: 'upgrades',
  params: defineParams =>
    defineParams({
      api: templateUpgradesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TemplateUpgradesClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `entity-card:templates/template-upgrade` on projects that record their
 * template version: the version, what is newer, and **Upgrade**.
 *
 * @alpha
 */
export const templateUpgradeEntityCard = EntityCardBlueprint.make({
  name: 'template-upgrade',
  params: {
    filter: isTemplateUpgradeAvailable,
    loader: () =>
      import('../components/TemplateUpgradeCard').then(m => (
        <m.TemplateUpgradeCard />
      )),
  },
});

/**
 * `page:templates/template-fleet` at `/template-fleet`: per template, which
 * projects are on which version, and batch upgrades.
 *
 * @alpha
 */
export const templateFleetPage = PageBlueprint.make({
  name: 'template-fleet',
  params: {
    path: '/template-fleet',
    routeRef: templateFleetRouteRef,
    title: 'Template fleet',
    icon: <UpdateIcon fontSize="inherit" />,
    loader: () =>
      import('../components/TemplateFleetPage').then(m => (
        <m.TemplateFleetPage />
      )),
  },
});
