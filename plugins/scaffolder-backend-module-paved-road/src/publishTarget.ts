import { Config } from '@backstage/config';

/**
 * Where `paved-road:publish` publishes new projects, from
 * `pavedRoad.publish`: the local git hosting of this backend, or an
 * organisation on a GitHub host.
 */
export type PublishTarget =
  | { target: 'local-git' }
  | { target: 'github'; host: string; owner: string };

/** What each target needs; said by every start-up error about the target. */
export const PUBLISH_TARGETS_HELP = [
  "local-git: bare repositories on this backend's disk, for one machine; needs the local git hosting plugin (backend.add(import('@paved-road/plugin-local-git-backend'))), pavedRoad.localGit.publicRead: true and a backend.reading.allow entry for its host.",
  'github: new repositories on GitHub, for production; needs pavedRoad.publish.github.owner (the organisation) and an integrations.github entry for pavedRoad.publish.github.host (default github.com).',
].join('\n  - ');

/**
 * Reads and checks `pavedRoad.publish`. There is no default target: a
 * backend that silently published to a hosting nobody serves is what this
 * refuses. Throws a message naming the key and what each target needs.
 */
export function readPublishTarget(config: Config): PublishTarget {
  const target = config.getOptionalString('pavedRoad.publish.target');
  if (target === undefined) {
    throw new Error(
      `pavedRoad.publish.target is not set. The Paved Road scaffolder module publishes new projects with paved-road:publish; set pavedRoad.publish.target in app-config.yaml to one of:\n  - ${PUBLISH_TARGETS_HELP}`,
    );
  }
  if (target !== 'local-git' && target !== 'github') {
    throw new Error(
      `pavedRoad.publish.target must be local-git or github; got ${JSON.stringify(
        target,
      )}. Set it to one of:\n  - ${PUBLISH_TARGETS_HELP}`,
    );
  }
  if (target === 'local-git') {
    return { target };
  }

  const host =
    config.getOptionalString('pavedRoad.publish.github.host') ?? 'github.com';
  const owner = config.getOptionalString('pavedRoad.publish.github.owner');
  const problems: string[] = [];
  if (!owner) {
    problems.push(
      'pavedRoad.publish.github.owner is not set: set it to the GitHub organisation (or user) that owns new repositories, e.g. acme.',
    );
  }
  // Read raw: ScmIntegrations invents a github.com entry when there is none.
  const integration = config
    .getOptionalConfigArray('integrations.github')
    ?.find(c => (c.getOptionalString('host') ?? 'github.com') === host);
  if (!integration) {
    problems.push(
      `integrations.github has no entry for ${host}: add one with credentials that may create repositories in the organisation, e.g. integrations.github: [{ host: ${host}, token: \${GITHUB_TOKEN} }] (or a GitHub App under apps).`,
    );
  }
  if (problems.length > 0 || !owner) {
    throw new Error(
      `pavedRoad.publish.target is github, which needs:\n  - ${problems.join(
        '\n  - ',
      )}\nOr set pavedRoad.publish.target: local-git for a single machine (see the module's README).`,
    );
  }
  return { target, host, owner };
}
