import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Prices of one cluster in one region. */
export interface Price {
  /** Per vCPU (1000 millicores) per hour. */
  perVcpuHour: number;
  /** Per GiB (1024 MiB) of memory per hour. */
  perGiBHour: number;
}

/**
 * `costs.priceSheet`: prices by cluster, then by region. `default` at either
 * level covers what is not listed, so a new cluster or region is priced at
 * once instead of breaking every estimate.
 */
export interface PriceSheet {
  currency: string;
  clusters: Record<string, Record<string, Price>>;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Reads `costs.priceSheet`; undefined when it is not configured. */
export function readPriceSheet(config: Config): PriceSheet | undefined {
  const sheet = config.getOptionalConfig('costs.priceSheet');
  if (!sheet) {
    return undefined;
  }
  const currency = sheet.getString('currency');
  if (!CURRENCY.test(currency)) {
    throw new InputError(
      `costs.priceSheet.currency '${currency}' is not an ISO 4217 code like EUR`,
    );
  }
  const clustersConfig = sheet.getConfig('clusters');
  const clusters: PriceSheet['clusters'] = {};
  for (const cluster of clustersConfig.keys()) {
    const regionsConfig = clustersConfig.getConfig(cluster);
    clusters[cluster] = {};
    for (const region of regionsConfig.keys()) {
      const path = `costs.priceSheet.clusters.${cluster}.${region}`;
      const price = regionsConfig.getConfig(region);
      clusters[cluster][region] = {
        perVcpuHour: readPrice(price, 'perVcpuHour', path),
        perGiBHour: readPrice(price, 'perGiBHour', path),
      };
    }
  }
  if (!clusters.default?.default) {
    throw new InputError(
      'costs.priceSheet.clusters.default.default is required: the price of anything not listed',
    );
  }
  return { currency, clusters };
}

function readPrice(config: Config, key: string, path: string): number {
  const value = config.getNumber(key);
  if (!Number.isFinite(value) || value < 0) {
    throw new InputError(`${path}.${key} must be a number of at least 0`);
  }
  return value;
}

/**
 * The price of a cluster in a region: the cluster's region, the cluster's
 * default, the default cluster's region, then the default of defaults.
 */
export function lookUpPrice(
  sheet: PriceSheet,
  cluster: string,
  region: string,
): Price {
  const own = sheet.clusters[cluster];
  const fallback = sheet.clusters.default;
  return own?.[region] ?? own?.default ?? fallback[region] ?? fallback.default;
}
