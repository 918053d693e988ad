import { Entity } from '@backstage/catalog-model';
import {
  DefaultEntityFilters,
  EntityFilter,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
} from '@paved-road/plugin-paved-road-common';

abstract class AnnotationFilter implements EntityFilter {
  constructor(readonly values: string[]) {}

  protected abstract readonly annotation: string;

  // Server side, so it also works with a paginated catalog table.
  getCatalogFilters(): Record<string, string[]> {
    return { [`metadata.annotations.${this.annotation}`]: this.values };
  }

  // The catalog compares values case-insensitively; so does this.
  filterEntity(entity: Entity): boolean {
    const value = entity.metadata.annotations?.[this.annotation];
    return (
      value !== undefined &&
      this.values.some(
        v => v.toLocaleLowerCase('en-US') === value.toLocaleLowerCase('en-US'),
      )
    );
  }

  toQueryValue(): string[] {
    return this.values;
  }
}

/**
 * Catalog list filter: entities of the given business units
 * (`paved-road.io/business-unit`, Group refs).
 *
 * @public
 */
export class EntityBusinessUnitFilter extends AnnotationFilter {
  protected readonly annotation = ANNOTATION_BUSINESS_UNIT;
}

/**
 * Catalog list filter: entities billed to the given cost centers
 * (`paved-road.io/cost-center`).
 *
 * @public
 */
export class EntityCostCenterFilter extends AnnotationFilter {
  protected readonly annotation = ANNOTATION_COST_CENTER;
}

/**
 * The catalog's filters plus Paved Road's, for `useEntityList<PavedRoadEntityFilters>()`.
 *
 * @public
 */
export type PavedRoadEntityFilters = DefaultEntityFilters & {
  businessUnit?: EntityBusinessUnitFilter;
  costCenter?: EntityCostCenterFilter;
};
