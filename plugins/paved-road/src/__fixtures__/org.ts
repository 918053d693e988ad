import { Entity } from '@backstage/catalog-model';

function group(
  name: string,
  type: string,
  extra: { parent?: string; title?: string; costCenters?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: 'default',
      ...(extra.title ? { title: extra.title } : {}),
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

/** The sample organisation (templates/sample-org/org.yaml), in short. */
export const ORG: Entity[] = [
  group('payments', 'business-unit', {
    title: 'Payments',
    costCenters: 'CC-1001,CC-1002',
  }),
  group('logistics', 'business-unit', {
    title: 'Logistics',
    costCenters: 'CC-2001,CC-2002',
  }),
  group('checkout', 'team', { parent: 'payments', title: 'Checkout' }),
  group('fleet', 'team', { parent: 'logistics', title: 'Fleet' }),
  group('skunkworks', 'team', { title: 'Skunkworks' }),
];
