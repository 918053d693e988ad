import type { TemplateHealthFigures } from '@paved-road/plugin-templates-common';

/** `87%`, or an em dash when there is nothing to divide. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** `850 ms`, `42 s`, `3 min 5 s`; an em dash without a figure. */
export function formatDuration(ms: number | null): string {
  if (ms === null) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** `3 of 4 deployed` or `no deployments yet`. */
export function formatDeployments(figures: TemplateHealthFigures): string {
  if (figures.deployedProjects === 0) {
    return 'no deployments yet';
  }
  return `${figures.deploySucceeded} of ${figures.deployedProjects} deployed`;
}

/** `template:default/kotlin-spring-service` → `{ namespace, name }`. */
export function templateRefParts(templateRef: string): {
  namespace: string;
  name: string;
} {
  const match = /^(?:[^:]+:)?(?:([^/]+)\/)?(.+)$/.exec(templateRef);
  return {
    namespace: match?.[1] ?? 'default',
    name: match?.[2] ?? templateRef,
  };
}
