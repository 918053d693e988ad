import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError, isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { readPublishTarget } from './publishRepository';
import { examples } from './registerCatalogInfo.examples';

/**
 * Where a repository published by `paved-road:publish` keeps its files: the
 * only URLs this action registers, so it cannot be used to register
 * anything else with the scaffolder's own credentials.
 */
export function publishedContentsPrefix(
  config: Config,
  repositories: LocalGitRepositories,
): string {
  if (readPublishTarget(config) === 'github') {
    const host =
      config.getOptionalString('pavedRoad.publish.github.host') ??
      'github.com';
    return `https://${host}/`;
  }
  return `${repositories.baseUrl}/`;
}

/**
 * @public
 * Creates the `paved-road:catalog:register` action: registers the
 * catalog-info.yaml of the repository this task published, with the
 * scaffolder's own service credentials, so every developer can create
 * projects while registering locations by hand stays with platform
 * engineers. A retried or recovered task reuses the location it (or an
 * earlier attempt) registered.
 */
export function createRegisterCatalogInfoAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  config: Config;
  repositories: LocalGitRepositories;
}) {
  const { catalog, auth } = options;
  const prefix = publishedContentsPrefix(options.config, options.repositories);

  return createTemplateAction({
    id: 'paved-road:catalog:register',
    description:
      "Registers the published repository's catalog-info.yaml in the catalog with the scaffolder's own credentials; idempotent.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoUrl: z =>
          z.string({
            description: `URL of the catalog-info.yaml that paved-road:publish returned (its catalogInfoUrl output); must start with ${prefix}.`,
          }),
      },
      output: {
        entityRef: z =>
          z
            .string({
              description:
                'The main entity of the location: the first Component, else the first entity. Not set in a dry run.',
            })
            .optional(),
        catalogInfoUrl: z =>
          z.string({ description: 'The registered URL.' }),
      },
    },
    async handler(ctx) {
      const catalogInfoUrl = checkUrl(ctx.input.catalogInfoUrl, prefix);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${catalogInfoUrl}`);
        ctx.output('catalogInfoUrl', catalogInfoUrl);
        return;
      }

      const { entityRef } = await ctx.checkpoint({
        key: `paved-road.catalog.register.${catalogInfoUrl}`,
        fn: async () => {
          const credentials = await auth.getOwnServiceCredentials();
          const location = await addOrReuseLocation(
            catalog,
            catalogInfoUrl,
            credentials,
          );
          ctx.logger.info(
            `${location.reused ? 'Reused' : 'Registered'} location ${
              location.id
            } for ${catalogInfoUrl}`,
          );
          // What the location holds, read once more as catalog:register does.
          const { entities } = await catalog.addLocation(
            { type: 'url', target: catalogInfoUrl, dryRun: true },
            { credentials },
          );
          const main = mainEntity(entities);
          return { entityRef: main ? stringifyEntityRef(main) : null };
        },
      });

      if (entityRef) {
        ctx.output('entityRef', entityRef);
      }
      ctx.output('catalogInfoUrl', catalogInfoUrl);
    },
  });
}

function checkUrl(url: string, prefix: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`input.catalogInfoUrl: "${url}" is not a URL`);
  }
  // URL() resolves dot segments, so a `..` cannot climb out of the prefix.
  if (
    !parsed.href.startsWith(prefix) ||
    !parsed.pathname.endsWith('.yaml') ||
    parsed.search ||
    parsed.hash
  ) {
    throw new InputError(
      `input.catalogInfoUrl must be a .yaml file of a repository published by paved-road:publish (under ${prefix})`,
    );
  }
  return parsed.href;
}

async function addOrReuseLocation(
  catalog: CatalogService,
  target: string,
  credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>,
): Promise<{ id: string; reused: boolean }> {
  try {
    const { location } = await catalog.addLocation(
      { type: 'url', target },
      { credentials },
    );
    return { id: location.id, reused: false };
  } catch (error) {
    if (!isConflict(error)) {
      throw error;
    }
    const { items } = await catalog.getLocations({}, { credentials });
    const existing = items.find(l => l.type === 'url' && l.target === target);
    if (!existing) {
      throw error;
    }
    return { id: existing.id, reused: true };
  }
}

// The catalog answers 409 for a target it already has: a ConflictError in
// process, a ResponseError over HTTP.
function isConflict(error: unknown): boolean {
  return (
    isError(error) &&
    (error.name === 'ConflictError' ||
      (error as { statusCode?: number }).statusCode === 409)
  );
}

function mainEntity(entities: Entity[]): Entity | undefined {
  const named = entities.filter(e => !e.metadata.name.startsWith('generated-'));
  return named.find(e => e.kind === 'Component') ?? named[0] ?? entities[0];
}
