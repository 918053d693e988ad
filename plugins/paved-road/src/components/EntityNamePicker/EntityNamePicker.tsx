import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { EntityNamePickerUiOptions, takenBy } from './takenBy';

/** Wait for typing to pause before asking the catalog. */
const DEBOUNCE_MS = 300;

/**
 * Scaffolder field: the new entity's name, with a live note when the catalog
 * already has an entity of that kind and name. The same check blocks the
 * step (validation) and runs again in the backend before anything is written.
 */
export const EntityNamePicker = (
  props: FieldExtensionComponentProps<string, EntityNamePickerUiOptions>,
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
  } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const catalogApi = useApi(catalogApiRef);

  const [settled, setSettled] = useState(formData ?? '');
  useEffect(() => {
    const timer = setTimeout(() => setSettled(formData ?? ''), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [formData]);

  const { kind, namespace } = options;
  const taken = useAsync(
    async () =>
      settled ? takenBy(catalogApi, settled, { kind, namespace }) : undefined,
    [catalogApi, settled, kind, namespace],
  );
  const reason = settled === (formData ?? '') ? taken.value : undefined;

  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title ?? 'Name'}
      placeholder={uiSchema?.['ui:placeholder']}
      helperText={reason ?? schema.description}
      required={required}
      disabled={disabled}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value)}
      margin="normal"
      error={Boolean(reason) || (rawErrors?.length ?? 0) > 0}
      inputProps={{ autoFocus: uiSchema?.['ui:autofocus'] }}
      FormHelperTextProps={{ role: reason ? 'alert' : undefined }}
    />
  );
};
