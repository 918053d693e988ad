import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';

/**
 * The Deployments tab. Only services are deployed through Paved Road, so the
 * tab is limited to them; app-config can override `filter`.
 */
export const deploymentsEntityContent = EntityContentBlueprint.make({
  name: 'deployments',
  params: {
    path: 'deployments',
    title: 'Deployments',
    group: 'deployment',
    filter: { kind: 'component', 'spec.type': 'service' },
    loader: () =>
      import('../components/EntityDeploymentsContent').then(m => (
        <m.EntityDeploymentsContent />
      )),
  },
});
