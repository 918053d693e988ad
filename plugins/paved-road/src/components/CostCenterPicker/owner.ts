/** ui:options of the CostCenterPicker field. */
export interface CostCenterPickerUiOptions {
  /**
   * Property of the same form holding the owner (a Group ref, as the
   * OwnerPicker writes it). Dots reach into objects: `team.owner`.
   * @defaultValue 'owner'
   */
  ownerField?: string;
  /**
   * Cost-center format, when the backend's `pavedRoad.costCenterPattern`
   * differs from the default `CC-` + 4 to 6 digits.
   */
  costCenterPattern?: string;
}

export const DEFAULT_OWNER_FIELD = 'owner';

/** The owner chosen elsewhere in the form, if any. */
export function readOwner(
  formData: unknown,
  ownerField: string = DEFAULT_OWNER_FIELD,
): string | undefined {
  let value: unknown = formData;
  for (const key of ownerField.split('.')) {
    if (value === null || typeof value !== 'object') {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' && value.trim() ? value : undefined;
}
