import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ANNOTATION_COST_CENTER } from '@paved-road/plugin-paved-road-common';

/**
 * The Cost tab, on entities that name their cost center. A filter
 * expression rather than a function, so app-config can override it.
 */
export const costsEntityContent = EntityContentBlueprint.make({
  name: 'costs',
  params: {
    path: 'costs',
    title: 'Cost',
    filter: {
      [`metadata.annotations.${ANNOTATION_COST_CENTER}`]: { $exists: true },
    },
    loader: () =>
      import('../components/EntityCostContent').then(m => (
        <m.EntityCostContent />
      )),
  },
});
