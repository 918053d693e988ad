import { EntityAutocompletePicker } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
} from '@paved-road/plugin-paved-road-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import {
  EntityBusinessUnitFilter,
  EntityCostCenterFilter,
  PavedRoadEntityFilters,
} from './filters';

// The values offered are the catalog's facets, narrowed by the kind and type
// already chosen, so only business units and cost centers in use show.
const NARROWED_BY: (keyof PavedRoadEntityFilters)[] = ['kind', 'type'];

// Group refs read better without the kind and the default namespace.
const businessUnitLabel = (ref: string) =>
  ref.replace(/^group:(default\/)?/i, '');

const renderBusinessUnit = (
  ref: string,
  { selected }: { selected: boolean },
) => (
  <FormControlLabel
    control={<Checkbox checked={selected} size="small" />}
    label={businessUnitLabel(ref)}
    onClick={event => event.preventDefault()}
  />
);

/**
 * Catalog filter on the business unit an entity rolls up to. State lives in
 * the URL (`filters[businessUnit]=…`) like the catalog's own filters.
 *
 * @public
 */
export const EntityBusinessUnitPicker = () => (
  <EntityAutocompletePicker<PavedRoadEntityFilters, 'businessUnit'>
    label="Business unit"
    name="businessUnit"
    path={`metadata.annotations.${ANNOTATION_BUSINESS_UNIT}`}
    Filter={EntityBusinessUnitFilter}
    filtersForAvailableValues={NARROWED_BY}
    getOptionLabel={businessUnitLabel}
    renderOption={renderBusinessUnit}
  />
);

/**
 * Catalog filter on the cost center an entity is billed to.
 *
 * @public
 */
export const EntityCostCenterPicker = () => (
  <EntityAutocompletePicker<PavedRoadEntityFilters, 'costCenter'>
    label="Cost center"
    name="costCenter"
    path={`metadata.annotations.${ANNOTATION_COST_CENTER}`}
    Filter={EntityCostCenterFilter}
    filtersForAvailableValues={[...NARROWED_BY, 'businessUnit']}
  />
);
