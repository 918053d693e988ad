import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  CostCenterPicker,
  CostCenterPickerFieldSchema,
  costCenterPickerValidation,
} from '../components/CostCenterPicker';

/** Loaded lazily by the scaffolder when a form is opened. */
export const CostCenterPickerFormField = createFormField({
  name: 'CostCenterPicker',
  component: CostCenterPicker,
  validation: costCenterPickerValidation,
  schema: CostCenterPickerFieldSchema,
});
