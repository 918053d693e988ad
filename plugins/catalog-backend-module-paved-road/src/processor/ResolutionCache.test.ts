import { ResolutionCache } from './ResolutionCache';

describe('ResolutionCache', () => {
  it('keys by all four parts, undefined included', () => {
    const cache = new ResolutionCache<string>(10);
    cache.set('spec.owner', 'default', 'team-a', undefined, 'a');
    cache.set('spec.owner', 'default', 'team-a', 'CC-1', 'a with CC-1');
    cache.set('spec.owner', 'other', 'team-a', undefined, 'a in other');
    cache.set('spec.system x owner', 'default', 'team-a', undefined, 'via x');

    expect(cache.get('spec.owner', 'default', 'team-a', undefined)).toBe('a');
    expect(cache.get('spec.owner', 'default', 'team-a', 'CC-1')).toBe(
      'a with CC-1',
    );
    expect(cache.get('spec.owner', 'other', 'team-a', undefined)).toBe(
      'a in other',
    );
    expect(
      cache.get('spec.system x owner', 'default', 'team-a', undefined),
    ).toBe('via x');
    expect(cache.get('spec.owner', 'default', undefined, undefined)).toBe(
      undefined,
    );
    expect(cache.size).toBe(4);
  });

  it('does not mistake one split of the same characters for another', () => {
    const cache = new ResolutionCache<string>(10);
    cache.set('f', 'a|b', 'c', undefined, 'first');
    expect(cache.get('f', 'a', 'b|c', undefined)).toBe(undefined);
  });

  it('counts a replaced entry once and starts over at its size limit', () => {
    const cache = new ResolutionCache<number>(2);
    cache.set('f', 'n', 'a', undefined, 1);
    cache.set('f', 'n', 'a', undefined, 2);
    expect(cache.size).toBe(1);
    cache.set('f', 'n', 'b', undefined, 3);
    expect(cache.size).toBe(2);

    cache.set('f', 'n', 'c', undefined, 4);
    expect(cache.size).toBe(1);
    expect(cache.get('f', 'n', 'a', undefined)).toBe(undefined);
    expect(cache.get('f', 'n', 'c', undefined)).toBe(4);
  });
});
