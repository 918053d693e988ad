import { ConfigReader } from '@backstage/config';
import { readDefaultCurrency } from './config';

describe('readDefaultCurrency', () => {
  it('defaults to EUR and checks the code', () => {
    expect(readDefaultCurrency(new ConfigReader({}))).toBe('EUR');
    expect(
      readDefaultCurrency(
        new ConfigReader({ costs: { defaultCurrency: 'USD' } }),
      ),
    ).toBe('USD');
    expect(() =>
      readDefaultCurrency(
        new ConfigReader({ costs: { defaultCurrency: 'euro' } }),
      ),
    ).toThrow(/not an ISO 4217 code/);
  });
});
