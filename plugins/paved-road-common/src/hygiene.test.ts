import { classifyHygieneMessage } from './hygiene';

describe('classifyHygieneMessage', () => {
  it.each([
    [
      'spec.owner: no owner is set; Paved Road needs an owning Group to find the business unit and cost center',
      'missing-owner',
    ],
    [
      'spec.owner: Owner group:default/ghost-team is not a Group in the catalog',
      'unknown-owner',
    ],
    ['spec.owner: Owner "a:b:c" is not a valid entity ref', 'unknown-owner'],
    [
      'spec.owner: Owner "user:default/x" is not a Group; business units are resolved through groups',
      'unknown-owner',
    ],
    [
      'spec.system system:default/shop owner: Owner group:default/ghost is not a Group in the catalog',
      'unknown-owner',
    ],
    [
      'spec.owner (and spec.system system:default/shop is not in the catalog): no owner is set; Paved Road needs an owning Group to find the business unit and cost center',
      'missing-owner',
    ],
    [
      'spec.owner: Owner group:default/orphans has no business unit above it: group:default/orphans has no spec.parent (a Group of spec.type business-unit is required in the spec.parent chain)',
      'no-business-unit',
    ],
    [
      'metadata.annotations.paved-road.io/cost-center: not set, and no default is available. Business unit group:default/x lists no valid cost center in its paved-road.io/cost-centers annotation',
      'no-cost-centers',
    ],
    [
      'metadata.annotations.paved-road.io/cost-center: Cost center CC-9999 does not belong to business unit group:default/payments (valid: CC-1001)',
      'cost-center-not-in-business-unit',
    ],
    [
      'metadata.annotations.paved-road.io/cost-center: Cost center "cc 1" does not match the format ^CC-\\d{4}$',
      'malformed-cost-center',
    ],
    [
      'metadata.annotations.paved-road.io/cost-centers: a business unit needs at least one cost center',
      'business-unit-cost-centers',
    ],
  ])('classifies %j', (message, code) => {
    expect(classifyHygieneMessage(message)).toBe(code);
  });

  it.each([
    'Policy check failed for component:default/x; caused by Error: "spec.owner" must be a string',
    'spec.lifecycle: must be set',
    'metadata.annotations.paved-road.io/cost-center: something new',
    'Unable to read url',
  ])('ignores what the Paved Road processor did not write: %j', message => {
    expect(classifyHygieneMessage(message)).toBeUndefined();
  });
});
