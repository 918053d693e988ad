import type { DeploymentRequest } from '@paved-road/plugin-deployments-node';

/**
 * Turns the requested commit into something an {@link InstanceLauncher}
 * can start. The local runtime's own is {@link MavenBuilder}.
 *
 * @public
 */
export interface ArtifactBuilder {
  /**
   * Builds `request.commitSha` inside `directory` (empty, owned by this
   * deployment) and resolves with the artifact's absolute path there.
   * Rejects with an error saying why the build failed.
   */
  build(
    request: DeploymentRequest,
    options: {
      directory: string;
      log(line: string): void;
      signal: AbortSignal;
    },
  ): Promise<string>;
}
