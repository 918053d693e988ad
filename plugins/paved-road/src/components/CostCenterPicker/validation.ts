import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  compileCostCenterPattern,
  resolveOwnership,
} from '@paved-road/plugin-paved-road-common';
import { loadGroups } from '../../lib/groups';
import {
  CostCenterPickerUiOptions,
  DEFAULT_OWNER_FIELD,
  readOwner,
} from './owner';

/**
 * Runs when the user leaves the step: the chosen cost center must belong to
 * the business unit of the owner chosen in the same form. The catalog
 * processor would reject the new entity otherwise.
 */
export const costCenterPickerValidation: CustomFieldValidator<
  string,
  CostCenterPickerUiOptions
> = async (value, validation, { apiHolder, formData, schema, uiSchema }) => {
  const field =
    typeof schema?.title === 'string' ? schema.title : 'Cost center';
  if (!value) {
    // "required" is the schema's business; an optional empty value is fine.
    return;
  }
  const options = uiSchema?.['ui:options'] ?? {};
  const ownerField = options.ownerField ?? DEFAULT_OWNER_FIELD;
  const owner = readOwner(formData, ownerField);
  if (!owner) {
    validation.addError(
      `${field}: choose the owner (${ownerField}) first; cost centers depend on its business unit`,
    );
    return;
  }
  const catalogApi = apiHolder.get(catalogApiRef);
  if (!catalogApi) {
    validation.addError(
      `${field}: the catalog is not available to check ${value}`,
    );
    return;
  }
  let groups;
  try {
    groups = await loadGroups(catalogApi);
  } catch (error) {
    validation.addError(
      `${field}: could not load the organisation from the catalog (${
        (error as Error).message
      })`,
    );
    return;
  }
  const { problems } = resolveOwnership({
    owner,
    costCenter: value,
    groups,
    costCenterPattern: compileCostCenterPattern(options.costCenterPattern),
  });
  for (const problem of problems) {
    validation.addError(`${field}: ${problem.message}`);
  }
};
