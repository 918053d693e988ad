import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isDeploymentsAvailable, isPavedRoadProject } from '../conditions';

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

/**
 * The service level objectives of a service the paved road deploys (its
 * `deploy/slo.yaml`), on the overview next to the project card; the
 * Deployments tab shows them next to the deployment settings too.
 */
export const serviceLevelObjectivesEntityCard = EntityCardBlueprint.make({
  name: 'service-level-objectives',
  params: {
    filter: entity =>
      isDeploymentsAvailable(entity) && isPavedRoadProject(entity),
    loader: () =>
      import('../components/EntityServiceLevelObjectivesCard').then(m => (
        <m.EntityServiceLevelObjectivesCard />
      )),
  },
});
