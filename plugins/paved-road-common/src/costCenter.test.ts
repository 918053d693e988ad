import { isValidCostCenter, parseCostCenterList } from './costCenter';

describe('cost centers', () => {
  it('accepts only the configured format', () => {
    expect(isValidCostCenter('CC-1001')).toBe(true);
    expect(isValidCostCenter('CC-12')).toBe(false);
    // eslint-disable-next-line no-script-url -- must never pass as a value
    expect(isValidCostCenter('javascript:alert(1)')).toBe(false);
    expect(isValidCostCenter(' CC-1001')).toBe(false);
  });

  it('parses a business unit list, keeping the default first', () => {
    expect(parseCostCenterList(' CC-1001, ,CC-1002 ')).toEqual([
      'CC-1001',
      'CC-1002',
    ]);
    expect(parseCostCenterList(undefined)).toEqual([]);
  });
});
