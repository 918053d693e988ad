import { costsPlugin } from './plugin';

describe('costs', () => {
  it('should export plugin', () => {
    expect(costsPlugin).toBeDefined();
  });
});
