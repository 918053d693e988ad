import { PageBlueprint } from '@backstage/frontend-plugin-api';
import MoneyIcon from '@material-ui/icons/AttachMoney';
import { costExplorerRouteRef } from '../routes';

/**
 * `page:costs/explorer` at `/costs`; its title and icon make the
 * "Cost explorer" sidebar item.
 *
 * @alpha
 */
export const costExplorerPage = PageBlueprint.make({
  name: 'explorer',
  params: {
    path: '/costs',
    routeRef: costExplorerRouteRef,
    title: 'Cost explorer',
    icon: <MoneyIcon fontSize="inherit" />,
    loader: () =>
      import('../components/CostExplorerPage').then(m => (
        <m.CostExplorerPage />
      )),
  },
});
