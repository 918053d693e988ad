// `https://github.com/acme/orders`, `…/orders.git` or `git@github.com:acme/orders.git`.
const GITHUB_REPOSITORY =
  /^(?:https:\/\/github\.com\/|git@github\.com:)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/;

/**
 * A browsable page of a commit of the repository at `repoUrl`, when its host
 * has one the portal knows (GitHub); null otherwise, e.g. for the embedded
 * local git hosting, which serves files but no commit pages.
 */
export function commitUrlFor(
  repoUrl: string | null | undefined,
  sha: string,
): string | null {
  const match = repoUrl?.match(GITHUB_REPOSITORY);
  return match
    ? `https://github.com/${match[1]}/${match[2]}/commit/${encodeURIComponent(
        sha,
      )}`
    : null;
}
