import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

const CURRENCY = /^[A-Z]{3}$/;

/** Reads `costs.defaultCurrency`, the currency of reports without data. */
export function readDefaultCurrency(config: Config): string {
  const currency = config.getOptionalString('costs.defaultCurrency') ?? 'EUR';
  if (!CURRENCY.test(currency)) {
    throw new InputError(
      `costs.defaultCurrency '${currency}' is not an ISO 4217 code like EUR`,
    );
  }
  return currency;
}
