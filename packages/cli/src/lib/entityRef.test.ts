import { groupRef, parseEntityArg } from './entityRef';

describe('parseEntityArg', () => {
  it.each([
    'orders-service',
    'component:orders-service',
    'component:default/orders-service',
    'Component:Default/Orders-Service',
  ])('reads %s as component:default/orders-service', value => {
    expect(parseEntityArg(value)).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'orders-service',
      ref: 'component:default/orders-service',
      path: 'default/component/orders-service',
    });
  });

  it('takes the default kind and namespace given', () => {
    expect(
      parseEntityArg('kotlin-library', { defaultKind: 'template' }).ref,
    ).toBe('template:default/kotlin-library');
    expect(
      parseEntityArg('team-a/checkout', { defaultKind: 'group' }).ref,
    ).toBe('group:team-a/checkout');
    expect(groupRef('checkout', '--owner')).toBe('group:default/checkout');
  });

  it.each([
    '',
    'not a name',
    'a:b:c',
    'component:default/',
    '../etc/passwd',
    '-leading-dash',
  ])('refuses %j naming the argument', value => {
    expect(() => parseEntityArg(value, { what: '--owner' })).toThrow(
      /^--owner: '.*' is not an entity/,
    );
  });
});
