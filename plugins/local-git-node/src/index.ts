/**
 * Paved Road local git hosting: creates and reads bare git repositories in a
 * configured directory, for the scaffolder and the local-git backend plugin.
 *
 * @packageDocumentation
 */

export {
  LocalGitRepositories,
  TASK_TRAILER,
  type CommitDirectoryOptions,
  type CommitDirectoryResult,
  type CreateRepositoryOptions,
  type CreateRepositoryResult,
  type LocalGitRepository,
} from './LocalGitRepositories';
export { commitDirectory, moveBranch, type GitAuthor } from './commits';
export {
  commitMessage,
  commitParents,
  diffPatch,
  listTree,
  mergeIntoNewBranch,
  readBlob,
  resolveRef,
  type GitChangedFile,
  type GitMergeConflict,
  type MergeIntoNewBranchOptions,
  type MergeIntoNewBranchResult,
} from './merge';
export { LOCAL_GIT_PLUGIN_ID } from './pluginId';
export {
  TemporaryClone,
  type RemoteRefUpdate,
  type TemporaryCloneOptions,
} from './remote';
export { validateRef, validateRepoName, validateRepoPath } from './validation';
export { GitCommandError, isolatedGitEnv } from './git';
