import { Entity } from '@backstage/catalog-model';
import { CatalogApi } from '@backstage/plugin-catalog-react';
import { GroupIndex, indexGroups } from '@paved-road/plugin-paved-road-common';

// Only what ownership resolution and labels read.
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
  'spec.parent',
  'spec.profile.displayName',
];

// A form session re-renders and re-validates often; the organisation changes
// rarely. One load per catalog client and minute is plenty.
const MAX_AGE_MS = 60_000;
const cache = new WeakMap<
  CatalogApi,
  { at: number; groups: Promise<GroupIndex> }
>();

/**
 * All Groups of the catalog, indexed for `resolveOwnership`. Shared by the
 * cost-center field and its validation; a failed load is not cached.
 */
export function loadGroups(catalogApi: CatalogApi): Promise<GroupIndex> {
  const hit = cache.get(catalogApi);
  if (hit && Date.now() - hit.at < MAX_AGE_MS) {
    return hit.groups;
  }
  const groups = catalogApi
    .getEntities({ filter: { kind: 'Group' }, fields: FIELDS })
    .then(({ items }) => indexGroups(items));
  const entry = { at: Date.now(), groups };
  cache.set(catalogApi, entry);
  groups.catch(() => {
    if (cache.get(catalogApi) === entry) {
      cache.delete(catalogApi);
    }
  });
  return groups;
}

/** Display name of a Group: profile name, title, else its name. */
export function groupLabel(group: Entity | undefined, ref: string): string {
  const displayName = group?.spec?.profile as
    | { displayName?: unknown }
    | undefined;
  if (typeof displayName?.displayName === 'string') {
    return displayName.displayName;
  }
  if (typeof group?.metadata.title === 'string') {
    return group.metadata.title;
  }
  return ref.replace(/^group:(default\/)?/, '');
}
