import { useApi } from '@backstage/core-plugin-api';
import type { CostEstimate } from '@paved-road/plugin-costs-common';
import { useEffect, useState } from 'react';
import { costsApiRef } from '../api/CostsApi';

/** Long enough that typing "16000" asks once, short enough to feel live. */
export const ESTIMATE_DEBOUNCE_MS = 400;

export interface CostEstimateState {
  estimate?: CostEstimate;
  error?: Error;
  /** A request is due or on its way; `estimate` is the previous answer. */
  loading: boolean;
}

/**
 * The monthly estimate of deployment settings, asked again `delayMs` after
 * they last changed. Only the answer to the latest settings is kept: an
 * older request still on its way is aborted.
 */
export function useCostEstimate(
  settings: unknown,
  delayMs: number = ESTIMATE_DEBOUNCE_MS,
): CostEstimateState {
  const costsApi = useApi(costsApiRef);
  // Compared by value: forms hand over a new object on every render.
  const key = settings === undefined ? undefined : JSON.stringify(settings);
  const [state, setState] = useState<CostEstimateState>({
    loading: key !== undefined,
  });

  useEffect(() => {
    if (key === undefined) {
      setState({ loading: false });
      return undefined;
    }
    setState(previous => ({ estimate: previous.estimate, loading: true }));
    const controller = new AbortController();
    const timer = setTimeout(() => {
      costsApi
        .estimate({ settings: JSON.parse(key) }, { signal: controller.signal })
        .then(
          estimate => {
            if (!controller.signal.aborted) {
              setState({ estimate, loading: false });
            }
          },
          error => {
            if (!controller.signal.aborted) {
              setState({ error, loading: false });
            }
          },
        );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [costsApi, key, delayMs]);

  return state;
}
