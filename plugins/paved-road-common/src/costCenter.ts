/**
 * @public
 * Default cost-center format: `CC-` followed by four to six digits. Kept
 * strict on purpose: a cost center ends up in reports and links, so nothing
 * free-form (or `javascript:`) may pass.
 */
export const COST_CENTER_PATTERN = /^CC-\d{4,6}$/;

/** @public */
export function isValidCostCenter(value: string): boolean {
  return COST_CENTER_PATTERN.test(value);
}

/**
 * @public
 * Parses the comma separated `paved-road.io/cost-centers` value of a business
 * unit. Blank items are dropped; order is kept (the first is the default).
 */
export function parseCostCenterList(value: string | undefined): string[] {
  if (!value) {
    return [];
  }
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}
