import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { PavedRoadRoles } from './PavedRoadPermissionPolicy';

/**
 * Reads the role groups from `pavedRoad.permissions`, normalised to
 * lower-cased full refs. A value that is not a group ref stops the backend
 * at start-up rather than silently granting nothing.
 */
export function readRoles(config: Config): PavedRoadRoles {
  const read = (key: string) =>
    (config.getOptionalStringArray(`pavedRoad.permissions.${key}`) ?? []).map(
      value => {
        const ref = parseEntityRef(value, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
        if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
          throw new Error(
            `pavedRoad.permissions.${key}: '${value}' is not a group reference`,
          );
        }
        return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
      },
    );
  return {
    adminGroups: read('adminGroups'),
    platformEngineerGroups: read('platformEngineerGroups'),
  };
}
