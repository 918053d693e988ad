import { Entity } from '@backstage/catalog-model';

const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/** Set by the scaffolder on every entity a template created. */
export const ANNOTATION_SOURCE_TEMPLATE = 'backstage.io/source-template';

/** Kinds that stand for the project itself when a repository holds several. */
const PROJECT_KINDS = ['component', 'template', 'resource', 'system'];

function rank(entity: Entity): number {
  const index = PROJECT_KINDS.indexOf(entity.kind.toLocaleLowerCase('en-US'));
  return index < 0 ? PROJECT_KINDS.length : index;
}

/**
 * One entity per project among entities a template made: a template's
 * catalog-info.yaml often holds more than one (the Kotlin service's
 * Component and its API), all annotated with the template, all in one
 * repository. Entities from the same catalog file are one project,
 * represented by its Component (else the first by kind).
 */
export function oneEntityPerProject<T extends Entity>(entities: T[]): T[] {
  const byLocation = new Map<string, T>();
  const unlocated: T[] = [];
  for (const entity of entities) {
    const location = entity.metadata.annotations?.[MANAGED_BY_LOCATION];
    if (!location) {
      unlocated.push(entity);
      continue;
    }
    const seen = byLocation.get(location);
    if (!seen || rank(entity) < rank(seen)) byLocation.set(location, entity);
  }
  return [...byLocation.values(), ...unlocated];
}
