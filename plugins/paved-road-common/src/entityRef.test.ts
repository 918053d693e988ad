import { entityRefFromPathParams, normalizeEntityRef } from './entityRef';

describe('entityRefFromPathParams', () => {
  it('builds a lowercase ref', () => {
    expect(
      entityRefFromPathParams({
        namespace: 'default',
        kind: 'Component',
        name: 'Orders',
      }),
    ).toBe('component:default/orders');
  });

  it('rejects traversal and missing parts', () => {
    expect(
      entityRefFromPathParams({ namespace: '..', kind: 'x', name: 'y' }),
    ).toBeUndefined();
    expect(
      entityRefFromPathParams({ namespace: 'default', kind: 'Component' }),
    ).toBeUndefined();
  });
});

describe('normalizeEntityRef', () => {
  it('lowercases and fills the defaults it is given', () => {
    expect(normalizeEntityRef('Component:Default/Orders')).toBe(
      'component:default/orders',
    );
    expect(normalizeEntityRef('orders', { defaultKind: 'component' })).toBe(
      'component:default/orders',
    );
  });

  it('is undefined for what is not a ref', () => {
    expect(normalizeEntityRef('orders')).toBeUndefined();
    expect(normalizeEntityRef('')).toBeUndefined();
  });
});
