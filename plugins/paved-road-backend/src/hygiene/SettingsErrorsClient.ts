import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import type {
  SettingsErrorItem,
  SettingsErrorListResponse,
} from '@paved-road/plugin-deployments-common';
import { z } from 'zod';
import { getFromPlugin } from './getFromPlugin';

// The deployments plugin answers from one query; a page load should not wait long
const REQUEST_TIMEOUT_MS = 10_000;

// Another plugin's answer: checked, so a mismatch is an error, not a blank row
const responseSchema = z.object({
  items: z.array(
    z.object({
      entityRef: z.string().min(1),
      message: z.string().min(1),
      commitSha: z.string().nullable(),
      detectedAt: z.string(),
    }),
  ),
});

/**
 * Projects whose `deploy/paved-road.yaml` is invalid, from the deployments
 * plugin's `GET /api/deployments/settings-errors`, read with this plugin's
 * service token.
 */
export class SettingsErrorsClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** Throws `NotFoundError` when the deployments plugin is not installed. */
  async listSettingsErrors(): Promise<SettingsErrorItem[]> {
    const response = await getFromPlugin(this.services(), {
      pluginId: 'deployments',
      path: '/settings-errors',
      timeoutMs: REQUEST_TIMEOUT_MS,
      notFound:
        'The deployments plugin does not serve /settings-errors (install @paved-road/plugin-deployments-backend)',
    });
    const parsed = responseSchema.safeParse(await response.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `The deployments plugin answered /settings-errors with an unexpected body at ${issue.path.join(
          '.',
        )}: ${issue.message}`,
      );
    }
    const body: SettingsErrorListResponse = parsed.data;
    return body.items;
  }

  private services() {
    return { discovery: this.discovery, auth: this.auth };
  }
}
