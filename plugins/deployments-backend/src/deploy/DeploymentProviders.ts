import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { DeploymentProvider } from '@paved-road/plugin-deployments-node';

/** The config key that chooses the provider. */
export const PROVIDER_CONFIG_KEY = 'deployments.provider';

/** The modules that add the providers Paved Road ships, by provider id. */
export const PROVIDER_MODULES: Record<string, string> = {
  local: '@paved-road/plugin-deployments-backend-module-local',
  'github-actions':
    '@paved-road/plugin-deployments-backend-module-github-actions',
};

/**
 * The providers that modules added through the extension point; the plugin
 * itself brings none. `deployments.provider` chooses one.
 */
export class DeploymentProviders {
  private readonly providers = new Map<string, DeploymentProvider>();

  add(provider: DeploymentProvider): void {
    if (this.providers.has(provider.id)) {
      throw new Error(
        `Two backend modules add a deployment provider with id '${provider.id}'; add only one of them`,
      );
    }
    this.providers.set(provider.id, provider);
  }

  /** Provider ids, for messages. */
  ids(): string[] {
    return [...this.providers.keys()].sort();
  }

  /**
   * The provider `deployments.provider` names, or undefined when it is not
   * set. Throws when it names a provider no module added, saying which
   * module to add: the backend should not start half-configured.
   */
  select(
    config: Config,
    logger: LoggerService,
  ): DeploymentProvider | undefined {
    const id = config.getOptionalString(PROVIDER_CONFIG_KEY);
    if (id === undefined) {
      if (this.providers.size > 0) {
        logger.warn(
          `Deployment providers ${this.ids().join(
            ', ',
          )} are added but ${PROVIDER_CONFIG_KEY} is not set: deploying is off`,
        );
      }
      return undefined;
    }
    const provider = this.providers.get(id);
    if (provider) {
      return provider;
    }
    const module = PROVIDER_MODULES[id];
    const added = this.ids();
    throw new Error(
      `${PROVIDER_CONFIG_KEY} is '${id}', but no backend module added a deployment provider with that id; ${
        module
          ? `add backend.add(import('${module}')) to the backend`
          : `add the backend module that provides it`
      }${added.length ? ` (added: ${added.join(', ')})` : ''}`,
    );
  }
}
