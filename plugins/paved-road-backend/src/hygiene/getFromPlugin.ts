import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { NotFoundError, ResponseError } from '@backstage/errors';

/**
 * A request to another plugin's API with a token on behalf of `onBehalfOf`
 * (a user calling an action), or of this plugin when absent. The caller
 * reads the status.
 */
export async function fetchFromPlugin(
  services: { discovery: DiscoveryService; auth: AuthService },
  request: {
    pluginId: string;
    path: string;
    timeoutMs: number;
    onBehalfOf?: BackstageCredentials;
    method?: 'GET' | 'POST';
    body?: unknown;
  },
): Promise<Response> {
  const { discovery, auth } = services;
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: request.onBehalfOf ?? (await auth.getOwnServiceCredentials()),
    targetPluginId: request.pluginId,
  });
  const base = await discovery.getBaseUrl(request.pluginId);
  return fetch(`${base}${request.path}`, {
    method: request.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(request.body !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
    },
    body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
    signal: AbortSignal.timeout(request.timeoutMs),
  });
}

/**
 * `GET` on another plugin's API (as this plugin unless `onBehalfOf` is
 * given). A 404 (the route is not installed, or nothing there) throws
 * `NotFoundError` with `notFound`, any other failure a `ResponseError`.
 */
export async function getFromPlugin(
  services: { discovery: DiscoveryService; auth: AuthService },
  request: {
    pluginId: string;
    path: string;
    timeoutMs: number;
    notFound: string;
    onBehalfOf?: BackstageCredentials;
  },
): Promise<Response> {
  const response = await fetchFromPlugin(services, request);
  if (response.status === 404) {
    throw new NotFoundError(request.notFound);
  }
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return response;
}
