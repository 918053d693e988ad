import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  GROUP_TYPE_BUSINESS_UNIT,
  readBusinessUnitCostCenters,
} from '@paved-road/plugin-paved-road-common';
import useAsync from 'react-use/esm/useAsync';

export interface BusinessUnits {
  /** Cost center → ref of the business-unit Group that owns it. */
  ownerOf: Map<string, string>;
  /** Business-unit Group ref → its display title. */
  titles: Map<string, string>;
}

/**
 * The business units of the catalog and the cost centers they own: whose
 * permission a budget needs, and how to name it.
 */
export function useBusinessUnits() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async (): Promise<BusinessUnits> => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group', 'spec.type': GROUP_TYPE_BUSINESS_UNIT },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.annotations',
        'spec.profile.displayName',
      ],
    });
    const ownerOf = new Map<string, string>();
    const titles = new Map<string, string>();
    for (const group of items) {
      const ref = stringifyEntityRef(group);
      const profile = group.spec?.profile as
        | { displayName?: string }
        | undefined;
      titles.set(
        ref,
        profile?.displayName ?? group.metadata.title ?? group.metadata.name,
      );
      for (const costCenter of readBusinessUnitCostCenters(group).valid) {
        ownerOf.set(costCenter, ref);
      }
    }
    return { ownerOf, titles };
  }, [catalogApi]);
}
