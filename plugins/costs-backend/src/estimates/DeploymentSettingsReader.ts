import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  DeploymentSettings,
  deploymentSettingsSchema,
} from '@paved-road/plugin-paved-road-common';

// A slow deployments backend must not hold up the cost report for long
const TIMEOUT_MS = 5_000;

/**
 * Reads an entity's current deployment settings from the deployments
 * plugin (`GET /entities/:namespace/:kind/:name/settings`) with this
 * plugin's service token.
 */
export class DeploymentSettingsReader {
  constructor(
    private readonly services: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /**
   * The latest settings, or undefined when the entity has none (404) or
   * they cannot be read right now: an estimate is a nicety, the report of
   * actual cost must not fail for it.
   */
  async getCurrent(entityRef: string): Promise<DeploymentSettings | undefined> {
    const { discovery, auth, logger } = this.services;
    try {
      const { kind, namespace, name } = parseEntityRef(entityRef);
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'deployments',
      });
      const base = await discovery.getBaseUrl('deployments');
      const path = [namespace, kind, name].map(encodeURIComponent).join('/');
      const response = await fetch(`${base}/entities/${path}/settings`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (response.status === 404) {
        return undefined;
      }
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const body = await response.json();
      const parsed = deploymentSettingsSchema.safeParse(body?.settings);
      if (!parsed.success) {
        logger.warn(
          `Deployment settings of ${entityRef} are not valid, no estimate`,
        );
        return undefined;
      }
      return parsed.data;
    } catch (error) {
      logger.warn(
        `Could not read the deployment settings of ${entityRef}, no estimate: ${error}`,
      );
      return undefined;
    }
  }
}
