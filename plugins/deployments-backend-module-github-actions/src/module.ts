import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { deploymentProvidersExtensionPoint } from '@paved-road/plugin-deployments-node';
import { readGithubActionsConfig } from './config';
import { GithubActionsDeploymentProvider } from './GithubActionsDeploymentProvider';
import { GithubRepositories } from './github/GithubRepository';
import { GithubEnvironments } from './runtime/GithubEnvironments';

/** What tests replace: credentials and the length of a rate-limit second. */
export interface GithubActionsModuleOptions {
  credentialsProvider?: GithubCredentialsProvider;
  secondMs?: number;
}

export function createDeploymentsModuleGithubActions(
  options: GithubActionsModuleOptions = {},
) {
  return createBackendModule({
    pluginId: 'deployments',
    moduleId: 'github-actions',
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          auth: coreServices.auth,
          catalog: catalogServiceRef,
          providers: deploymentProvidersExtensionPoint,
        },
        async init({ config, logger, auth, catalog, providers }) {
          const integrations = ScmIntegrations.fromConfig(config);
          const repositories = new GithubRepositories({
            integrations,
            credentials:
              options.credentialsProvider ??
              DefaultGithubCredentialsProvider.fromIntegrations(integrations),
            secondMs: options.secondMs,
          });
          providers.addProvider(
            new GithubActionsDeploymentProvider({
              config: readGithubActionsConfig(config),
              repositories,
              environments: new GithubEnvironments({
                catalog,
                auth,
                integrations,
                repositories,
                onRateLimit: line => logger.info(line),
              }),
              logger,
            }),
          );
        },
      });
    },
  });
}

/**
 * The `github-actions` deployment provider: each deployment dispatches the
 * project's `cd.yaml` workflow and follows its run.
 *
 * @public
 */
export const deploymentsModuleGithubActions =
  createDeploymentsModuleGithubActions();
