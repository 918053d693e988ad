import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  type AuditAction,
  type AuditOutcome,
} from '@paved-road/plugin-paved-road-common';
import type { AuditEventFilters } from '../../api/PavedRoadApi';

/**
 * The audit page's filters as they stand in its URL query, so a filtered
 * view can be shared. Dates are calendar days (`YYYY-MM-DD`) in the
 * viewer's time zone, both ends included.
 */
export interface AuditPageFilters {
  entityRef: string;
  actor: string;
  businessUnit: string;
  costCenter: string;
  action: AuditAction | '';
  outcome: AuditOutcome | '';
  from: string;
  to: string;
}

export const FILTER_KEYS = [
  'entityRef',
  'actor',
  'businessUnit',
  'costCenter',
  'action',
  'outcome',
  'from',
  'to',
] as const satisfies readonly (keyof AuditPageFilters)[];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(values: readonly T[], value: string) {
  return (values as readonly string[]).includes(value) ? (value as T) : '';
}

/** Reads the filters from the URL; values no control could show are dropped. */
export function filtersFromSearch(search: URLSearchParams): AuditPageFilters {
  const get = (key: string) => search.get(key)?.trim() ?? '';
  const day = (key: string) => (DAY.test(get(key)) ? get(key) : '');
  return {
    entityRef: get('entityRef'),
    actor: get('actor'),
    businessUnit: get('businessUnit'),
    costCenter: get('costCenter'),
    action: oneOf(AUDIT_ACTIONS, get('action')),
    outcome: oneOf(AUDIT_OUTCOMES, get('outcome')),
    from: day('from'),
    to: day('to'),
  };
}

/** The URL query of a filtered view: only the filters that are set. */
export function filtersToSearch(filters: AuditPageFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    if (filters[key]) {
      search.set(key, filters[key]);
    }
  }
  return search;
}

// People type `money-kt` or `guest`; the backend matches full refs.
function fullRef(value: string, defaultKind: string) {
  if (!value) return '';
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return value;
  }
}

/** Completes short entity refs the way the catalog's own pickers do. */
export function normalizeFilters(filters: AuditPageFilters): AuditPageFilters {
  return {
    ...filters,
    entityRef: fullRef(filters.entityRef.trim(), 'component'),
    actor: fullRef(filters.actor.trim(), 'user'),
    businessUnit: fullRef(filters.businessUnit.trim(), 'group'),
    costCenter: filters.costCenter.trim(),
  };
}

function startOfDay(day: string) {
  return new Date(`${day}T00:00:00`);
}

/** The filters as the API takes them: days become ISO times. */
export function toApiFilters(filters: AuditPageFilters): AuditEventFilters {
  let to: string | undefined;
  if (filters.to) {
    // The last millisecond of the chosen day, so the day is included.
    const next = startOfDay(filters.to);
    next.setDate(next.getDate() + 1);
    to = new Date(next.getTime() - 1).toISOString();
  }
  return {
    entityRef: filters.entityRef || undefined,
    actor: filters.actor || undefined,
    businessUnit: filters.businessUnit || undefined,
    costCenter: filters.costCenter || undefined,
    action: filters.action || undefined,
    outcome: filters.outcome || undefined,
    from: filters.from ? startOfDay(filters.from).toISOString() : undefined,
    to,
  };
}
