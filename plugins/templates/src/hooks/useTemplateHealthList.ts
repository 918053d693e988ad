import { useApi } from '@backstage/core-plugin-api';
import type { TemplateHealthListResponse } from '@paved-road/plugin-templates-common';
import useAsync from 'react-use/esm/useAsync';
import { templatesApiRef, type TemplatesApi } from '../api/TemplatesApi';

const TTL_MS = 30_000;
const cache = new WeakMap<
  TemplatesApi,
  { at: number; promise: Promise<TemplateHealthListResponse> }
>();

/**
 * `GET /health`, shared for 30 s by every caller of the same API: the create
 * page renders one card per template and each wants its verdict.
 */
export function loadTemplateHealthList(
  api: TemplatesApi,
): Promise<TemplateHealthListResponse> {
  const cached = cache.get(api);
  if (cached && Date.now() - cached.at < TTL_MS) {
    return cached.promise;
  }
  const promise = api.listTemplateHealth();
  cache.set(api, { at: Date.now(), promise });
  // A failed load is not kept, so the next card tries again.
  promise.catch(() => cache.delete(api));
  return promise;
}

/** The health summary of one template, from the shared list. */
export function useTemplateHealthSummary(templateRef: string | undefined) {
  const api = useApi(templatesApiRef);
  return useAsync(async () => {
    if (!templateRef) {
      return undefined;
    }
    const { items } = await loadTemplateHealthList(api);
    return items.find(item => item.templateRef === templateRef);
  }, [api, templateRef]);
}
