/** What an upgrade did to a project's repository. */
export type UpgradeOutcome =
  /** The merge had no conflicts. */
  | 'clean'
  /** The merge left conflict markers; `result.conflicts` lists them. */
  | 'conflicts'
  /** The new render equals the project's template branch: nothing to merge. */
  | 'no-change';

/** @public */
export type UpgradeJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * A file the three-way merge could not settle. `type` follows the kinds
 * `git merge-tree` reports (`CONFLICT (<type>)`).
 *
 * @public
 */
export type MergeConflict = {
  path: string;
  type: 'content' | 'modify/delete' | 'add/add' | 'rename' | 'binary' | 'other';
  message: string;
};

/** @public A file the upgrade changes, as `git diff --name-status` lists it. */
export type ChangedFile = { path: string; status: string };

/** @public What a finished upgrade left in the repository. */
export type UpgradeResult = {
  /** The branch holding the merge, off the project's default branch. */
  branch: string;
  /** The new render, committed onto the `paved-road/template` branch. */
  templateCommit: string;
  /** The merge commit at the head of `branch`. */
  commit: string;
  /** Clone URL of the repository (`git clone -b <branch> <cloneUrl>`). */
  cloneUrl?: string;
  /** The pull request (GitHub). */
  pullRequestUrl?: string;
  /** A page comparing the default branch with `branch`. */
  compareUrl?: string;
  conflicts: MergeConflict[];
  changedFiles: ChangedFile[];
};

/** @public One upgrade of one project to one template version. */
export type UpgradeJob = {
  id: string;
  entityRef: string;
  templateRef: string;
  fromVersion: string;
  toVersion: string;
  status: UpgradeJobStatus;
  outcome?: UpgradeOutcome;
  batchId?: string;
  requestedBy: string;
  createdAt: string;
  finishedAt?: string;
  result?: UpgradeResult;
  error?: string;
  /**
   * When the branch was merged into the default branch from the portal
   * (hosts without pull requests, such as local git), and by whom.
   */
  mergedAt?: string;
  mergedBy?: string;
};

/**
 * `GET /upgrades/:id/diff`: what the upgrade changes in the project, as a
 * patch from the commit it started from to the upgrade's merge commit.
 *
 * @public
 */
export type UpgradeDiff = {
  /** The default branch's commit the upgrade was merged onto. */
  base: string;
  /** The upgrade's merge commit. */
  head: string;
  /** `git diff base head`, cut at a whole line when over the limit. */
  patch: string;
  truncated: boolean;
};

/** @public A section of a template's CHANGELOG.md. */
export type ChangelogEntry = { version: string; body: string };

/** @public Why a project cannot be upgraded, when it cannot. */
export type UpgradeUnavailableReason =
  | 'up-to-date'
  | 'ahead'
  | 'no-template-branch'
  | 'no-answers'
  | 'template-not-found'
  | 'not-from-template';

/**
 * A question the newer template asks that the project's stored answers do
 * not hold and that has no default, or whose stored answer the newer form
 * no longer accepts: the upgrade needs it answered.
 *
 * @public
 */
export type MissingAnswer = {
  name: string;
  title?: string;
  type?: string;
  description?: string;
  /** The values the newer form offers, when it lists them. */
  enum?: Array<string | number | boolean | null>;
  /** Why the stored answer no longer counts, e.g. `'21' is not one of '17', '25'`. */
  problem?: string;
};

/** @public `GET /projects/:namespace/:kind/:name/upgrade` */
export type ProjectUpgradeInfo = {
  entityRef: string;
  templateRef?: string;
  currentVersion?: string;
  latestVersion?: string;
  available: boolean;
  reason?: UpgradeUnavailableReason;
  changelog: ChangelogEntry[];
  /** Questions the newer version asks; each has its default here. */
  newAnswers: Record<string, unknown>;
  missingAnswers: MissingAnswer[];
  /** The latest upgrade job of this project, if any. */
  job?: UpgradeJob;
};

/** @public `POST /projects/:namespace/:kind/:name/upgrade` */
export type UpgradeRequest = {
  toVersion: string;
  answers?: Record<string, unknown>;
};

/** @public One project in a template's fleet. */
export type FleetProject = {
  entityRef: string;
  title?: string;
  owner?: string;
  version?: string;
  available: boolean;
  job?: UpgradeJob;
};

/** @public `GET /fleet/:namespace/:name` */
export type TemplateFleet = {
  templateRef: string;
  latestVersion?: string;
  versions: { version: string; count: number }[];
  projects: FleetProject[];
};

/** @public `POST /fleet/:namespace/:name/upgrades` */
export type BatchUpgradeRequest = {
  toVersion: string;
  /** Only these projects; all out-of-date ones when left out. */
  entityRefs?: string[];
};

/** @public A batch upgrade: one job per project, and the projects skipped. */
export type UpgradeBatch = {
  id: string;
  templateRef: string;
  toVersion: string;
  requestedBy: string;
  createdAt: string;
  jobs: UpgradeJob[];
  skipped: { entityRef: string; reason: string }[];
};
