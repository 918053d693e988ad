import { Entity } from '@backstage/catalog-model';

function group(
  name: string,
  type: string,
  extra: { parent?: string; costCenters?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: 'default',
      ...(extra.costCenters
        ? { annotations: { 'paved-road.io/cost-centers': extra.costCenters } }
        : {}),
    },
    spec: {
      type,
      children: [],
      ...(extra.parent ? { parent: extra.parent } : {}),
    },
  };
}

/** The Groups of templates/sample-org/org.yaml. */
export const sampleOrg: Entity[] = [
  group('payments', 'business-unit', { costCenters: 'CC-1001,CC-1002' }),
  group('logistics', 'business-unit', { costCenters: 'CC-2001,CC-2002' }),
  group('payments-core', 'team', { parent: 'payments' }),
  group('checkout', 'team', { parent: 'payments' }),
  group('fleet', 'team', { parent: 'logistics' }),
  group('warehouse', 'team', { parent: 'logistics' }),
];
