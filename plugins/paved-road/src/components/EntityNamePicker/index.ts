export { EntityNamePicker } from './EntityNamePicker';
export { entityNamePickerValidation } from './validation';
export { EntityNamePickerFieldSchema } from './schema';
export type { EntityNamePickerUiOptions } from './takenBy';
