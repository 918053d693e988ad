import { InputError } from '@backstage/errors';
import type { GitAuthor } from './commits';

const REPO_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
// Branch names and commit ids. Deliberately narrower than git's own rules:
// no leading `-` (would read as an option), no `:`/`^`/`~`/`@{` revision
// syntax, so a ref can never select anything but a branch, tag or commit.
const REF = /^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$/;

/**
 * Checks a repository name and returns it. Lower-case letters, digits, `.`,
 * `_` and `-`, starting with a letter or digit, at most 100 characters, no
 * `..` and no `.git` suffix (the `.git` is added by the hosting).
 *
 * @public
 */
export function validateRepoName(name: unknown, field = 'repoName'): string {
  if (typeof name !== 'string' || !REPO_NAME.test(name)) {
    throw new InputError(
      `${field} must be 1-100 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit; got ${JSON.stringify(
        name,
      )}`,
    );
  }
  if (name.includes('..') || name.endsWith('.git')) {
    throw new InputError(
      `${field} must not contain '..' or end in '.git'; got ${JSON.stringify(
        name,
      )}`,
    );
  }
  return name;
}

/**
 * Checks a branch name, tag name or commit id and returns it.
 *
 * @public
 */
export function validateRef(ref: unknown, field = 'ref'): string {
  if (
    typeof ref !== 'string' ||
    !REF.test(ref) ||
    ref.includes('..') ||
    ref.includes('//') ||
    ref.endsWith('/') ||
    ref.endsWith('.') ||
    ref.endsWith('.lock')
  ) {
    throw new InputError(
      `${field} must be a branch, tag or commit id; got ${JSON.stringify(ref)}`,
    );
  }
  return ref;
}

/**
 * Checks a path inside a repository (`docs/index.md`) and returns it.
 *
 * @public
 */
export function validateRepoPath(path: unknown, field = 'path'): string {
  const segments = typeof path === 'string' ? path.split('/') : [];
  if (
    typeof path !== 'string' ||
    path.length === 0 ||
    path.length > 1024 ||
    path.includes('\0') ||
    segments.some(s => s === '' || s === '.' || s === '..')
  ) {
    throw new InputError(
      `${field} must be a relative path inside the repository; got ${JSON.stringify(
        path,
      )}`,
    );
  }
  return path;
}

/**
 * Checks a commit author and returns it with the name trimmed: git would
 * silently strip or reject these, so fail with the field named.
 */
export function validateAuthor(author: GitAuthor): GitAuthor {
  const bad = /[<>\r\n\0]/;
  if (!author?.name?.trim() || bad.test(author.name)) {
    throw new InputError(
      'author.name must be a non-empty single line without < or >',
    );
  }
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(author?.email ?? '')) {
    throw new InputError(
      `author.email must be an e-mail address; got ${JSON.stringify(
        author?.email,
      )}`,
    );
  }
  return { name: author.name.trim(), email: author.email };
}
