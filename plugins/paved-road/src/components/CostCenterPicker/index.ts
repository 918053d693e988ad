export { CostCenterPicker } from './CostCenterPicker';
export { costCenterPickerValidation } from './validation';
export { CostCenterPickerFieldSchema } from './schema';
export type { CostCenterPickerUiOptions } from './owner';
