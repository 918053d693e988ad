import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SLO_FILE_PATH,
  type ServiceLevelObjectivesResponse,
} from '@paved-road/plugin-deployments-common';
import { RepositoryLocator } from '../repository/RepositoryLocator';
import { readSloFile } from '../repository/sloFile';

/**
 * Reads a project's service level objectives from `deploy/slo.yaml` at the
 * head of its default branch, each time it is asked: the file is the source
 * of truth and nothing of it is stored. Whoever may read the entity in the
 * catalog may read its SLOs.
 */
export class ServiceLevelObjectivesService {
  constructor(
    private readonly options: {
      locator: RepositoryLocator;
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  async get(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ServiceLevelObjectivesResponse> {
    const { locator, catalog, permissions } = this.options;
    // Asked explicitly so that a denial is a 403, not a missing entity.
    const [decision] = await permissions.authorize(
      [{ permission: catalogEntityReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${catalogEntityReadPermission.name}`,
      );
    }
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`${entityRef} not found in the catalog`);
    }
    const location = await locator.locate(entity);
    if (!location) {
      throw new ConflictError(
        `${entityRef} has no repository the portal reads`,
      );
    }
    const file = await location.repository.readFile(SLO_FILE_PATH);
    if (!file) {
      return { slos: [], problems: [], file: SLO_FILE_PATH, found: false };
    }
    return { ...readSloFile(file.content), file: SLO_FILE_PATH, found: true };
  }
}
