/**
 * The GitHub Actions provider for Paved Road deployments
 * (`deployments.provider: github-actions`): dispatches the project's
 * `cd.yaml` workflow and follows its run as the deployment's stages.
 *
 * @packageDocumentation
 */
export { deploymentsModuleGithubActions as default } from './module';
