import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { NotFoundError, ResponseError } from '@backstage/errors';

/**
 * `GET` on another plugin's API with this plugin's service token. A 404
 * (the route is not installed) throws `NotFoundError` with `notFound`, any
 * other failure a `ResponseError`.
 */
export async function getFromPlugin(
  services: { discovery: DiscoveryService; auth: AuthService },
  request: {
    pluginId: string;
    path: string;
    timeoutMs: number;
    notFound: string;
  },
): Promise<Response> {
  const { discovery, auth } = services;
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: await auth.getOwnServiceCredentials(),
    targetPluginId: request.pluginId,
  });
  const base = await discovery.getBaseUrl(request.pluginId);
  const response = await fetch(`${base}${request.path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  if (response.status === 404) {
    throw new NotFoundError(request.notFound);
  }
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return response;
}
