import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { EntityNamePickerUiOptions, takenBy } from './takenBy';

/**
 * Runs when the user leaves the step: a name the catalog already has is an
 * error on the field, before the task is ever started.
 */
export const entityNamePickerValidation: CustomFieldValidator<
  string,
  EntityNamePickerUiOptions
> = async (value, validation, { apiHolder, schema, uiSchema }) => {
  if (!value) return;
  const field = typeof schema?.title === 'string' ? schema.title : 'Name';
  const catalogApi = apiHolder.get(catalogApiRef);
  if (!catalogApi) {
    validation.addError(
      `${field}: the catalog is not available to check ${value}`,
    );
    return;
  }
  try {
    const reason = await takenBy(catalogApi, value, uiSchema?.['ui:options']);
    if (reason) validation.addError(`${field}: ${reason}`);
  } catch (error) {
    // The backend checks again; do not block the form on a catalog hiccup.
    validation.addError(
      `${field}: could not check the name in the catalog (${
        (error as Error).message
      })`,
    );
  }
};
