import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isPavedRoadProject } from '../conditions';

/**
 * The project card on the overview of every entity the paved road made (a
 * deployment descriptor or a source template); app-config can override
 * `filter`.
 */
export const pavedRoadProjectEntityCard = EntityCardBlueprint.make({
  name: 'paved-road-project',
  params: {
    filter: isPavedRoadProject,
    loader: () =>
      import('../components/EntityPavedRoadProjectCard').then(m => (
        <m.EntityPavedRoadProjectCard />
      )),
  },
});
