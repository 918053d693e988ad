import { GitAuthor } from '@paved-road/plugin-local-git-node';

/** A branch to move where the team works, from `expectedOld` (null: new). */
export type RefUpdate = {
  ref: string;
  commit: string;
  expectedOld: string | null;
};

/**
 * A project's repository opened for an upgrade: a git directory holding at
 * least the default branch and every `paved-road/*` branch (the template
 * branch, and the upgrade branches an earlier run made, so a re-run finds
 * its own work), in which the upgrade commits and merges with git itself.
 */
export interface ProjectRepository {
  /** A bare git directory: the hosted repository (local git) or a temporary fetch (GitHub). */
  readonly gitDir: string;
  readonly defaultBranch: string;
  /** Where the team clones from (`git clone -b <branch> <cloneUrl>`). */
  readonly cloneUrl: string;
  /**
   * Makes the ref changes visible where the team works: nothing to do for
   * local git (the upgrade moved them in place), an atomic push with a
   * lease on each `expectedOld` for GitHub. A moved ref is a ConflictError.
   */
  publish(updates: RefUpdate[]): Promise<void>;
  /** Opens, or updates the body of, the pull request of `branch`; its URL. Hosts without pull requests leave it out. */
  openOrUpdatePullRequest?(request: {
    branch: string;
    title: string;
    body: string;
  }): Promise<string>;
  /** A page comparing the default branch with `branch`, if the host has one. */
  compareUrl(branch: string): string | undefined;
  /** Removes what `open` made (the temporary fetch); safe to call twice. */
  dispose(): Promise<void>;
}

/** Where a project's repository lives, resolved from its catalog entity. */
export interface ProjectHost {
  readonly kind: 'local-git' | 'github';
  open(): Promise<ProjectRepository>;
  /**
   * One file of a branch (default: the default branch) without opening the
   * whole repository: the upgrade view reads `.paved-road/answers.yaml`
   * with it (local git: the hosted repository; GitHub: the contents API).
   */
  readFile(path: string, branch?: string): Promise<Buffer | undefined>;
}

export type { GitAuthor };
