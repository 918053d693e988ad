import { readDurationFromConfig, Config } from '@backstage/config';
import {
  RootHttpRouterConfigureContext,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import { durationToMilliseconds } from '@backstage/types';
import { createErrorBodyFilter } from './errorBody';
import {
  createJsonBodyParser,
  DEFAULT_JSON_BODY_OPTIONS,
  JsonBodyOptions,
} from './jsonBody';

/** Reads `pavedRoad.http`, falling back to the defaults for what is unset. */
export function readHttpHardening(config: Config): {
  showStackTraces: boolean;
  jsonBody: JsonBodyOptions;
} {
  const http = config.getOptionalConfig('pavedRoad.http');
  const body = http?.getOptionalConfig('jsonBody');
  const configured =
    body?.getOptionalConfigArray('routes')?.map(route => ({
      path: route.getString('path').replace(/\/+$/, ''),
      limit: route.getString('limit'),
    })) ?? [];
  return {
    showStackTraces: http?.getOptionalBoolean('showStackTraces') ?? false,
    jsonBody: {
      limit:
        body?.getOptionalString('limit') ?? DEFAULT_JSON_BODY_OPTIONS.limit,
      maxDepth:
        body?.getOptionalNumber('maxDepth') ??
        DEFAULT_JSON_BODY_OPTIONS.maxDepth,
      // Configured routes replace the defaults for the same path.
      routes: [
        ...configured,
        ...DEFAULT_JSON_BODY_OPTIONS.routes.filter(
          d => !configured.some(c => c.path === d.path),
        ),
      ],
      passThrough:
        body?.getOptionalStringArray('passThrough') ??
        DEFAULT_JSON_BODY_OPTIONS.passThrough,
    },
  };
}

/**
 * The stock root router setup (backend-defaults' applyDefaults, in its
 * order) with two additions: JSON bodies are parsed once for every /api
 * route, bounded in size and depth, before any plugin sees them; error
 * bodies carry no stack traces or file paths unless
 * `pavedRoad.http.showStackTraces` is true. applyDefaults takes no options,
 * hence the copy.
 */
export function configureRootHttpRouter(
  options: RootHttpRouterConfigureContext,
) {
  const { app, server, config, middleware, routes, healthRouter, logger } =
    options;
  const hardening = readHttpHardening(config);

  if (process.env.NODE_ENV === 'development') {
    app.set('json spaces', 2);
  }
  const trustProxy = config.getOptional('backend.trustProxy');
  if (trustProxy !== undefined) {
    app.set('trust proxy', trustProxy);
  }
  applyServerOptions(server, config.getOptionalConfig('backend.server'));
  if (!hardening.showStackTraces) {
    app.use(createErrorBodyFilter());
  }
  app.use(middleware.helmet());
  app.use(middleware.cors());
  app.use(middleware.compression());
  app.use(middleware.logging());
  app.use(middleware.rateLimit());
  app.use(healthRouter);
  app.use('/api', createJsonBodyParser(hardening.jsonBody));
  app.use(routes);
  app.use(middleware.notFound());
  app.use(middleware.error({ showStackTraces: hardening.showStackTraces }));
  logger.info(
    `JSON bodies limited to ${hardening.jsonBody.limit} (per-route limits for ${
      hardening.jsonBody.routes.length
    } paths) and ${
      hardening.jsonBody.maxDepth
    } levels; stack traces in error bodies ${
      hardening.showStackTraces ? 'shown' : 'hidden'
    }`,
  );
}

/** `backend.server` timeouts and limits, as applyDefaults sets them. */
function applyServerOptions(
  server: RootHttpRouterConfigureContext['server'],
  serverConfig?: Config,
) {
  if (!serverConfig) return;
  const duration = (key: string) => {
    if (!serverConfig.has(key)) return undefined;
    const value = serverConfig.getOptional(key);
    return typeof value === 'number'
      ? value
      : durationToMilliseconds(readDurationFromConfig(serverConfig, { key }));
  };
  const target = server as unknown as Record<string, number | undefined>;
  for (const key of [
    'headersTimeout',
    'requestTimeout',
    'keepAliveTimeout',
    'timeout',
  ]) {
    const value = duration(key);
    if (value !== undefined) target[key] = value;
  }
  for (const key of ['maxHeadersCount', 'maxRequestsPerSocket']) {
    const value = serverConfig.getOptionalNumber(key);
    if (value !== undefined) target[key] = value;
  }
}

/** The root HTTP router of this backend. */
export const hardenedRootHttpRouter = rootHttpRouterServiceFactory({
  configure: configureRootHttpRouter,
});
