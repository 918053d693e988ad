import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  compileCostCenterPattern,
  resolveOwnership,
} from '@paved-road/plugin-paved-road-common';
import TextField from '@material-ui/core/TextField';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { groupLabel, loadGroups } from '../../lib/groups';
import {
  CostCenterPickerUiOptions,
  DEFAULT_OWNER_FIELD,
  readOwner,
} from './owner';

/**
 * Scaffolder field: the cost centers of the business unit of the owner chosen
 * earlier in the same form, the unit's default preselected.
 */
export const CostCenterPicker = (
  props: FieldExtensionComponentProps<string, CostCenterPickerUiOptions>,
) => {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    required,
    disabled,
    idSchema,
    formContext,
  } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const ownerField = options.ownerField ?? DEFAULT_OWNER_FIELD;
  const owner = readOwner(formContext?.formData, ownerField);
  const patternSource = options.costCenterPattern;

  const catalogApi = useApi(catalogApiRef);
  const groups = useAsync(() => loadGroups(catalogApi), [catalogApi]);

  const resolution = useMemo(
    () =>
      owner && groups.value
        ? resolveOwnership({
            owner,
            groups: groups.value,
            costCenterPattern: compileCostCenterPattern(patternSource),
          })
        : undefined,
    [owner, groups.value, patternSource],
  );
  const unit = resolution?.businessUnit;
  const costCenters = useMemo(() => unit?.costCenters ?? [], [unit]);

  // Preselect the unit's default, and replace a value that belongs to the
  // previous owner's unit when the owner changes. A valid choice is kept.
  useEffect(() => {
    if (costCenters.length > 0 && !costCenters.includes(formData ?? '')) {
      onChange(costCenters[0]);
    }
  }, [costCenters, formData, onChange]);

  const label = schema.title ?? 'Cost center';
  let helperText: string;
  let problem = false;
  if (groups.loading) {
    helperText = 'Loading the organisation…';
  } else if (groups.error) {
    helperText = `Could not load the organisation: ${groups.error.message}`;
    problem = true;
  } else if (!owner) {
    helperText = `Choose the owner (${ownerField}) first`;
  } else if (!unit) {
    helperText = resolution?.problems[0]?.message ?? 'Unknown owner';
    problem = true;
  } else if (costCenters.length === 0) {
    helperText = `Business unit ${groupLabel(
      groups.value?.get(unit.businessUnit),
      unit.businessUnit,
    )} lists no cost center`;
    problem = true;
  } else {
    helperText = `Business unit: ${groupLabel(
      groups.value?.get(unit.businessUnit),
      unit.businessUnit,
    )}`;
  }

  return (
    <TextField
      id={idSchema?.$id}
      select
      SelectProps={{ native: true }}
      label={label}
      value={costCenters.includes(formData ?? '') ? formData : ''}
      onChange={event => onChange(event.target.value as string)}
      required={required}
      disabled={disabled || costCenters.length === 0}
      error={problem || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      InputLabelProps={{ shrink: true }}
      margin="normal"
      variant="outlined"
      fullWidth
    >
      {costCenters.length === 0 && <option value="" />}
      {costCenters.map((costCenter, index) => (
        <option key={costCenter} value={costCenter}>
          {index === 0 ? `${costCenter} (default)` : costCenter}
        </option>
      ))}
    </TextField>
  );
};
