// Test helpers: FOCUS exports with the full column sets of 1.2 and 1.3.

/** Every FOCUS 1.2 column, in the spec's (alphabetical) order. */
export const FOCUS_1_2_COLUMNS = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'CapacityReservationId',
  'CapacityReservationStatus',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'CommitmentDiscountUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceId',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingCurrency',
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SkuPriceDetails',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
];

/**
 * FOCUS 1.3: split cost allocation (`Allocated*`), `ContractApplied`, and
 * `ServiceProviderName` / `HostProviderName` next to the deprecated
 * `ProviderName` / `PublisherName`.
 */
export const FOCUS_1_3_COLUMNS = [
  'AllocatedMethodDetails',
  'AllocatedMethodId',
  'AllocatedResourceId',
  'AllocatedResourceName',
  'AllocatedTags',
  ...FOCUS_1_2_COLUMNS,
  'ContractApplied',
  'HostProviderName',
  'ServiceProviderName',
].sort();

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A row with plausible values for every column, overridden by `values`. */
export function focusRow(
  columns: string[],
  values: Record<string, string> = {},
): string {
  const day = values.ChargePeriodStart ?? '2026-11-01T00:00:00Z';
  const defaults: Record<string, string> = {
    BilledCost: '12.5',
    EffectiveCost: '10.25',
    ListCost: '14',
    ContractedCost: '12.5',
    BillingAccountId: 'acct-1',
    BillingAccountType: 'Billing Account',
    BillingCurrency: 'EUR',
    BillingPeriodStart: '2026-11-01T00:00:00Z',
    BillingPeriodEnd: '2026-12-01T00:00:00Z',
    ChargeCategory: 'Usage',
    ChargeFrequency: 'Usage-Based',
    ChargePeriodStart: day,
    ChargePeriodEnd: '2026-11-02T00:00:00Z',
    ChargeDescription: 'Compute, 24 hours',
    InvoiceIssuerName: 'Example Cloud',
    ProviderName: 'Example Cloud',
    PublisherName: 'Example Cloud',
    ServiceProviderName: 'Example Cloud',
    HostProviderName: 'Example Cloud',
    RegionId: 'eu-west-1',
    ResourceId: 'vm-1',
    ResourceName: 'orders-vm',
    ServiceCategory: 'Compute',
    ServiceName: 'Virtual Machines',
    SubAccountId: 'sub-1',
    Tags: '{}',
  };
  return columns.map(c => csvField(values[c] ?? defaults[c] ?? '')).join(',');
}

/** A whole file: header and rows, CRLF as FOCUS exporters write it. */
export function focusFile(
  columns: string[],
  rows: Array<Record<string, string>>,
): string {
  return [columns.join(','), ...rows.map(r => focusRow(columns, r))].join(
    '\r\n',
  );
}

/** The `Tags` value for a service and cost center. */
export function tags(values: Record<string, string>): string {
  return JSON.stringify(values);
}
