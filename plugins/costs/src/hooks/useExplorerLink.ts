import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
} from '@paved-road/plugin-paved-road-common';
import {
  writeExplorerState,
  type DrillStep,
} from '../components/CostExplorerPage/explorerState';
import { costExplorerRouteRef } from '../routes';

function groupRef(ref: string | undefined): string | undefined {
  if (!ref) {
    return undefined;
  }
  try {
    const parsed = parseEntityRef(ref, { defaultKind: 'group' });
    return parsed.kind.toLocaleLowerCase('en-US') === 'group'
      ? stringifyEntityRef(parsed)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The explorer's view of an entity's own services: its business unit, cost
 * center and owning team drilled into, the entity's row marked.
 */
export function explorerSearch(entity: Entity): string {
  const annotations = entity.metadata.annotations ?? {};
  const drill: DrillStep[] = [];
  const unit = groupRef(annotations[ANNOTATION_BUSINESS_UNIT]);
  if (unit) drill.push({ dimension: 'business-unit', key: unit });
  const costCenter = annotations[ANNOTATION_COST_CENTER];
  if (costCenter) drill.push({ dimension: 'cost-center', key: costCenter });
  const team = groupRef(entity.spec?.owner as string | undefined);
  if (team) drill.push({ dimension: 'team', key: team });
  return writeExplorerState({
    period: 'this-month',
    custom: {},
    groupBy: 'service',
    drill,
    highlight: stringifyEntityRef(entity),
  }).toString();
}

/**
 * Link into the Cost explorer at an entity, or undefined when the app has no
 * explorer page mounted.
 */
export function useExplorerLink(entity: Entity): string | undefined {
  let explorer: (() => string) | undefined;
  try {
    // Called on every render, so the hook order holds; it throws when the
    // route is not mounted, which only means there is nothing to link to.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    explorer = useRouteRef(costExplorerRouteRef);
  } catch {
    explorer = undefined;
  }
  return explorer ? `${explorer()}?${explorerSearch(entity)}` : undefined;
}
