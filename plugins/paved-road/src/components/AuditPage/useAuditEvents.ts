import { useApi } from '@backstage/core-plugin-api';
import type { AuditEvent } from '@paved-road/plugin-paved-road-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEventFilters } from '../../api/PavedRoadApi';
import { pavedRoadApiRef } from '../../api/PavedRoadApi';

export const PAGE_SIZE = 50;

interface State {
  items: AuditEvent[];
  nextCursor: string | null;
  loading: boolean;
  error?: Error;
}

/**
 * Audit events matching `filters`, newest first, one page at a time:
 * `loadMore` appends the next (older) page. New filters start over; a
 * response to filters no longer shown is dropped.
 */
export function useAuditEvents(filters: AuditEventFilters, limit = PAGE_SIZE) {
  const api = useApi(pavedRoadApiRef);
  const [state, setState] = useState<State>({
    items: [],
    nextCursor: null,
    loading: true,
  });
  const generation = useRef(0);
  // Keyed by value: an equal filters object from a new render refetches nothing.
  const key = JSON.stringify(filters);

  const load = useCallback(
    async (cursor: string | undefined, current: number) => {
      try {
        const page = await api.listAuditEvents(JSON.parse(key), {
          cursor,
          limit,
        });
        if (generation.current !== current) return;
        setState(prev => ({
          items: cursor ? [...prev.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
          loading: false,
        }));
      } catch (error) {
        if (generation.current !== current) return;
        setState(prev => ({ ...prev, loading: false, error: error as Error }));
      }
    },
    [api, key, limit],
  );

  useEffect(() => {
    const current = ++generation.current;
    setState({ items: [], nextCursor: null, loading: true });
    load(undefined, current);
  }, [load]);

  const loadMore = useCallback(() => {
    if (!state.nextCursor || state.loading) return;
    setState(prev => ({ ...prev, loading: true, error: undefined }));
    load(state.nextCursor, generation.current);
  }, [load, state.nextCursor, state.loading]);

  return { ...state, loadMore };
}
