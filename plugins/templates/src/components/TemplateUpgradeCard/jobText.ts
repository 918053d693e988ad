import type {
  ProjectUpgradeInfo,
  UpgradeJob,
} from '@paved-road/plugin-templates-common';

/** How often a queued or running upgrade is asked how it is doing. */
export const POLL_INTERVAL_MS = 2_000;

/** Whether the job has finished (nothing more to poll for). */
export function isFinished(job: UpgradeJob): boolean {
  return job.status === 'succeeded' || job.status === 'failed';
}

/** `succeeded, conflicts in 2 files`, `running`, `failed: …`, in a few words. */
export function jobSummary(job: UpgradeJob): string {
  if (job.status === 'failed') {
    return `failed: ${job.error ?? 'no reason given'}`;
  }
  if (job.status !== 'succeeded') {
    return job.status;
  }
  if (job.outcome === 'conflicts') {
    const n = job.result?.conflicts.length ?? 0;
    return `succeeded, conflicts in ${n} file${n === 1 ? '' : 's'}`;
  }
  return job.outcome === 'no-change'
    ? 'succeeded, nothing to merge'
    : 'succeeded, clean merge';
}

/**
 * Whether the portal can merge the job: a clean upgrade on a host without
 * pull requests (a pull request is merged where it lives), not merged yet.
 */
export function canMerge(job: UpgradeJob): boolean {
  return (
    job.status === 'succeeded' &&
    job.outcome === 'clean' &&
    job.result !== undefined &&
    !job.result.pullRequestUrl &&
    !job.mergedAt
  );
}

/** `git clone -b <branch> <cloneUrl>` for a finished upgrade, if it has a clone URL. */
export function cloneCommand(job: UpgradeJob): string | undefined {
  return job.result?.cloneUrl
    ? `git clone -b ${job.result.branch} ${job.result.cloneUrl}`
    : undefined;
}

/** Why the project cannot be upgraded, in a sentence. */
export function unavailableReason(info: ProjectUpgradeInfo): string {
  switch (info.reason) {
    case 'up-to-date':
      return 'Up to date.';
    case 'ahead':
      return `Version ${info.currentVersion} is newer than the template's ${info.latestVersion}.`;
    case 'no-template-branch':
      return 'Created before template versions were recorded: cannot be upgraded.';
    case 'no-answers':
      return 'The repository has no .paved-road/answers.yaml: cannot be upgraded.';
    case 'template-not-found':
      return `The template ${info.templateRef} is not in the catalog.`;
    case 'not-from-template':
      return 'Not created from a template.';
    default:
      return 'Cannot be upgraded.';
  }
}
