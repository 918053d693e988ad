import { TableColumn } from '@backstage/core-components';
import { CatalogTable, CatalogTableRow } from '@backstage/plugin-catalog';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
} from '@paved-road/plugin-paved-road-common';
import type { CatalogTableColumnsFunc } from '@backstage/plugin-catalog';

const annotation = (row: CatalogTableRow, key: string) =>
  row.entity.metadata.annotations?.[key] ?? '';

function annotationColumn(
  title: string,
  key: string,
  render: (value: string) => JSX.Element,
): TableColumn<CatalogTableRow> {
  return {
    title,
    // Table search and sort work on this; the annotation key has dots and a
    // slash, so it cannot be a plain `field` path.
    field: `entity.metadata.annotations.${key}`,
    customFilterAndSearch: (query: string, row: CatalogTableRow) =>
      annotation(row, key)
        .toLocaleUpperCase('en-US')
        .includes(String(query).toLocaleUpperCase('en-US')),
    customSort: (a: CatalogTableRow, b: CatalogTableRow) =>
      annotation(a, key).localeCompare(annotation(b, key)),
    render: row => {
      const value = annotation(row, key);
      return value ? render(value) : <>—</>;
    },
  };
}

/**
 * Catalog table column: the business unit (a Group link) from
 * `paved-road.io/business-unit`.
 *
 * @public
 */
export function createBusinessUnitColumn(): TableColumn<CatalogTableRow> {
  return annotationColumn('Business unit', ANNOTATION_BUSINESS_UNIT, value => (
    <EntityRefLink entityRef={value} defaultKind="group" hideIcon />
  ));
}

/**
 * Catalog table column: the cost center from `paved-road.io/cost-center`.
 *
 * @public
 */
export function createCostCenterColumn(): TableColumn<CatalogTableRow> {
  return annotationColumn('Cost center', ANNOTATION_COST_CENTER, value => (
    <>{value}</>
  ));
}

// Kinds the Paved Road processor annotates.
const OWNED_KINDS = new Set(['component', 'resource', 'system', 'api']);

/**
 * The catalog's default columns plus business unit and cost center, for the
 * kinds Paved Road annotates. Pass it as `columns` to the catalog index page.
 *
 * @public
 */
export const pavedRoadCatalogColumns: CatalogTableColumnsFunc = context => {
  const columns = CatalogTable.defaultColumnsFunc(context);
  const kind = (
    context.entities[0]?.kind ??
    context.filters.kind?.value ??
    ''
  ).toLocaleLowerCase('en-US');
  if (!OWNED_KINDS.has(kind)) {
    return columns;
  }
  return [...columns, createBusinessUnitColumn(), createCostCenterColumn()];
};
