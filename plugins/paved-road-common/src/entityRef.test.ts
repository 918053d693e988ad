import { entityRefFromPathParams } from './entityRef';

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
