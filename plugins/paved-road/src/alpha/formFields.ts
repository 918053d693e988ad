import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  CostCenterPicker,
  CostCenterPickerFieldSchema,
  costCenterPickerValidation,
} from '../components/CostCenterPicker';
import {
  EntityNamePicker,
  EntityNamePickerFieldSchema,
  entityNamePickerValidation,
} from '../components/EntityNamePicker';

/** Loaded lazily by the scaffolder when a form is opened. */
export const CostCenterPickerFormField = createFormField({
  name: 'CostCenterPicker',
  component: CostCenterPicker,
  validation: costCenterPickerValidation,
  schema: CostCenterPickerFieldSchema,
});

/** `ui:field: AvailableEntityNamePicker`: refuses names the catalog has. */
export const EntityNamePickerFormField = createFormField({
  name: 'AvailableEntityNamePicker',
  component: EntityNamePicker,
  validation: entityNamePickerValidation,
  schema: EntityNamePickerFieldSchema,
});
