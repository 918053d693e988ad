/** A commit author: the user who changed the settings, as git records them. */
export type GitIdentity = { name: string; email: string };

/** A commit as the repository reports it. */
export interface CommitInfo {
  sha: string;
  /** Browsable link, when the host has one. */
  url: string | null;
  message: string;
  author: GitIdentity;
  /** ISO 8601 author date. */
  date: string;
  /** True for a repository's first commit (the template's). */
  isRoot: boolean;
}

/** A file at the head of the default branch. */
export interface RepositoryFile {
  content: string;
  /** The last commit on the default branch that changed the file. */
  commit: CommitInfo;
}

/** The commit a ref names. */
export interface ResolvedRef {
  sha: string;
  /** ISO 8601 committer date: when the change landed. */
  committedAt: string;
  /** The repository's default branch (what an absent ref means). */
  defaultBranch: string;
}

/** What a write did. */
export type FileWriteResult =
  | { mode: 'commit'; commit: { sha: string; url: string | null } }
  | { mode: 'pull-request'; pullRequestUrl: string }
  /** `edit` returned the content as it was: nothing was written. */
  | { mode: 'unchanged' };

export interface FileUpdate {
  path: string;
  /**
   * Gets the file's content at the head and returns the new content. May
   * throw (for example ConflictError when the head is not what the caller
   * based its change on); then nothing is written.
   */
  edit(current: string): string;
  author: GitIdentity;
  message: string;
  /**
   * `commit` lands on the default branch; `pull-request` opens one where the
   * host supports it. Defaults to the repository's configured mode.
   */
  mode?: 'commit' | 'pull-request';
}

/**
 * The repository of one project, where its deployment descriptor and
 * catalog-info.yaml live. One implementation per kind of host.
 */
export interface SettingsRepository {
  /** Where the repository is, as the project page shows it. */
  readonly url: string;
  /** How settings changes land unless a write says otherwise. */
  readonly writeMode: 'commit' | 'pull-request';

  /** Where a deployment provider clones from. */
  readonly cloneUrl: string;
  /** `owner/name` on GitHub; undefined for other hosts. */
  readonly githubSlug?: string;

  /** A file at the head of the default branch; undefined if it is not there. */
  readFile(path: string): Promise<RepositoryFile | undefined>;

  /**
   * A file as commit `sha` has it, with the last commit at or before `sha`
   * that changed it; undefined if it is not there.
   */
  readFileAt(path: string, sha: string): Promise<RepositoryFile | undefined>;

  /**
   * The commit a branch, tag or (abbreviated) sha names, or the head of the
   * default branch when `ref` is undefined; undefined when there is none.
   * Callers validate `ref` as a ref name first.
   */
  resolveRef(ref: string | undefined): Promise<ResolvedRef | undefined>;

  /**
   * The head commit of branch `branch` (never a tag or a sha of that name);
   * undefined when the repository has no such branch. Callers validate
   * `branch` as a ref name first.
   */
  resolveBranch(branch: string): Promise<ResolvedRef | undefined>;

  /**
   * The file as each of the last `limit` commits on the default branch that
   * changed it left it, oldest first; commits that deleted it are left out.
   */
  readFileHistory(
    path: string,
    options: { limit: number },
  ): Promise<RepositoryFile[]>;

  /**
   * Writes one commit that changes only `update.path`. Throws ConflictError
   * when the branch moved while writing: nothing is written then.
   */
  updateFile(update: FileUpdate): Promise<FileWriteResult>;

  /** Archives (read-only) or unarchives the repository where the host can. */
  setArchived(archived: boolean): Promise<void>;
}
