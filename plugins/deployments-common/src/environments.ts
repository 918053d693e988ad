import type { DeploymentStatus } from './types';

/** @public Environments whose name starts with this are previews of a branch. */
export const PREVIEW_ENVIRONMENT_PREFIX = 'preview-';

/** @public The longest environment name the API accepts. */
export const MAX_ENVIRONMENT_NAME_LENGTH = 63;

/**
 * @public
 * The preview environment of a branch: `preview-` and the branch lowercased
 * with every run of other characters than letters and digits turned into one
 * dash, cut to {@link MAX_ENVIRONMENT_NAME_LENGTH}
 * (`feature/Login-Form` → `preview-feature-login-form`).
 */
export function previewEnvironmentName(branch: string): string {
  const slug = branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${PREVIEW_ENVIRONMENT_PREFIX}${slug}`
    .slice(0, MAX_ENVIRONMENT_NAME_LENGTH)
    .replace(/-+$/, '');
}

/** @public Whether `environment` names a preview environment. */
export function isPreviewEnvironment(environment: string): boolean {
  return environment.startsWith(PREVIEW_ENVIRONMENT_PREFIX);
}

/** @public The last deployment to an environment, as the environments list shows it. */
export interface EnvironmentLastDeployment {
  id: string;
  status: DeploymentStatus;
  ref: string | null;
  commitSha: string | null;
  triggeredBy: string | null;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; null while it runs. */
  finishedAt: string | null;
}

/**
 * @public
 * One environment a project deploys to: a long-lived one (`production`) or
 * the preview of a branch (`preview-<branch>`), with what runs there now.
 */
export interface DeploymentEnvironment {
  name: string;
  kind: 'standard' | 'preview';
  /** The branch a preview deploys; null for a standard environment. */
  branch: string | null;
  /** The stable URL of what runs there; null when nothing runs. */
  url: string | null;
  instances: { total: number; healthy: number };
  lastDeployment: EnvironmentLastDeployment | null;
  /** Who first deployed there (a user entity ref). */
  createdBy: string | null;
  /** ISO 8601. */
  createdAt: string;
  /**
   * ISO 8601: when a preview is torn down unless deployed again (every
   * deployment to it starts the TTL anew); null for a standard environment.
   */
  expiresAt: string | null;
}

/**
 * @public
 * Body of `GET /entities/:namespace/:kind/:name/environments`: the standard
 * environments first, then the previews that are not torn down, newest first.
 */
export interface DeploymentEnvironmentsResponse {
  items: DeploymentEnvironment[];
}
