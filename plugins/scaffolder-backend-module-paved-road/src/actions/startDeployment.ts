import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  parseErrorResponseBody,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  type CreateDeploymentRequest,
  type DeploymentDetails,
} from '@paved-road/plugin-deployments-common';
import { parseFullEntityRef } from './entityNames';
import { examples } from './startDeployment.examples';

const REQUEST_TIMEOUT_MS = 30_000;

/** `<namespace>/<kind>/<name>`, each part encoded, as the Paved Road APIs take it. */
function entityPath({ namespace, kind, name }: CompoundEntityRef): string {
  return [namespace, kind, name].map(encodeURIComponent).join('/');
}

/**
 * The entity's Deployments tab, relative to the app (the task's output page
 * resolves it like any link of the app). Kind and namespace lowercased, as
 * the catalog's entity routes have them.
 */
function deploymentsTabPath(entity: CompoundEntityRef): string {
  return `/catalog/${entityPath({
    namespace: entity.namespace.toLocaleLowerCase('en-US'),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    name: entity.name,
  })}/deployments`;
}

/**
 * @public
 * Creates the `paved-road:deployment:start` action: asks the deployments
 * backend to deploy an entity (the head of its default branch unless a ref
 * is given), as the user who runs the task, so the deployments backend's
 * permission check (`deployments.deployment.create`) and audit trail see
 * that user. Inside a checkpoint: a retried or recovered task starts no
 * second deployment.
 */
export function createStartDeploymentAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}) {
  const { auth, discovery } = options;

  return createTemplateAction({
    id: 'paved-road:deployment:start',
    description:
      'Starts a deployment of an entity through the Paved Road deployments backend, as the user who runs the task; returns a link to it on the Deployments tab.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({
            description:
              'The entity to deploy, e.g. component:default/orders-service (catalog:register outputs it).',
          }),
        ref: z =>
          z
            .string({
              description:
                'Branch, tag or commit to deploy. Defaults to the head of the default branch.',
            })
            .optional(),
        environment: z =>
          z
            .string({
              description: `Environment to deploy to. Defaults to ${DEFAULT_DEPLOYMENT_ENVIRONMENT}.`,
            })
            .optional(),
      },
      output: {
        deploymentId: z =>
          z
            .string({
              description: 'Id of the deployment. Not set in a dry run.',
            })
            .optional(),
        status: z =>
          z
            .string({
              description:
                'Status of the deployment when it was queued (pending). Not set in a dry run.',
            })
            .optional(),
        url: z =>
          z.string({
            description:
              "Relative link to the entity's Deployments tab opened on the deployment: /catalog/<namespace>/<kind>/<name>/deployments?deployment=<id>; in a dry run, the tab.",
          }),
      },
    },
    async handler(ctx) {
      const entity = parseFullEntityRef(ctx.input.entityRef, 'input.entityRef');
      const entityRef = stringifyEntityRef(entity);
      const environment =
        ctx.input.environment ?? DEFAULT_DEPLOYMENT_ENVIRONMENT;
      const tab = deploymentsTabPath(entity);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would deploy ${
            ctx.input.ref ?? 'the default branch'
          } of ${entityRef} to ${environment}`,
        );
        ctx.output('url', tab);
        return;
      }

      const started = await ctx.checkpoint({
        key: `paved-road.deployment.start.${entityRef}.${environment}`,
        fn: async () => {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await ctx.getInitiatorCredentials(),
            targetPluginId: 'deployments',
          });
          const body: CreateDeploymentRequest = {
            ...(ctx.input.ref !== undefined && { ref: ctx.input.ref }),
            ...(ctx.input.environment !== undefined && { environment }),
          };
          const deployment = await postDeployment({
            url: `${await discovery.getBaseUrl(
              'deployments',
            )}/entities/${entityPath(entity)}/deployments`,
            token,
            body,
            entityRef,
          });
          return { id: deployment.id, status: deployment.status };
        },
      });

      ctx.logger.info(
        `Deployment ${started.id} of ${entityRef} to ${environment} is ${started.status}`,
      );
      ctx.output('deploymentId', started.id);
      ctx.output('status', started.status);
      ctx.output(
        'url',
        `${tab}?${new URLSearchParams({ deployment: started.id })}`,
      );
    },
  });
}

async function postDeployment(options: {
  url: string;
  token: string;
  body: CreateDeploymentRequest;
  entityRef: string;
}): Promise<DeploymentDetails> {
  const { url, token, body, entityRef } = options;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    // fetch says "fetch failed"; what failed is in its cause.
    const { message, cause } = error as Error & { cause?: Error };
    throw new ServiceUnavailableError(
      refused(
        entityRef,
        `the deployments backend did not answer (${cause?.message ?? message})`,
      ),
    );
  }
  if (!response.ok) {
    throw await refusal(response, entityRef);
  }
  const deployment = (await response.json()) as DeploymentDetails;
  if (typeof deployment?.id !== 'string') {
    throw new Error(
      refused(
        entityRef,
        `the deployments backend answered ${response.status} without a deployment id`,
      ),
    );
  }
  return deployment;
}

/** The deployments backend's refusal as one line, typed by its status. */
async function refusal(response: Response, entityRef: string): Promise<Error> {
  const { error } = await parseErrorResponseBody(response);
  const reason = error.message;
  switch (response.status) {
    case 400:
      return new InputError(refused(entityRef, reason));
    case 403:
      return new NotAllowedError(refused(entityRef, reason));
    case 404:
      // The backend's own 404 is a NotFoundError naming the entity; a bare
      // 404 comes from a backend without the deployments plugin.
      return error.name === 'NotFoundError'
        ? new NotFoundError(refused(entityRef, reason))
        : new ServiceUnavailableError(
            notSetUp(
              entityRef,
              'the deployments backend (@paved-road/plugin-deployments-backend) is not installed',
            ),
          );
    case 409:
      return new ConflictError(refused(entityRef, reason));
    case 503:
      return new ServiceUnavailableError(notSetUp(entityRef, reason));
    default:
      return new Error(
        refused(
          entityRef,
          `the deployments backend answered ${response.status}: ${reason}`,
        ),
      );
  }
}

// A refusal deploys nothing; the entity can still be deployed by hand.
function refused(entityRef: string, reason: string): string {
  return `Could not deploy ${entityRef}: ${sentence(
    reason,
  )} It can be deployed later from its Deployments tab.`;
}

function notSetUp(entityRef: string, reason: string): string {
  return `Deployments are not set up in this portal, so ${entityRef} was not deployed: ${sentence(
    reason,
  )}`;
}

/** One line ending in one full stop, whatever the backend wrote. */
function sentence(text: string): string {
  return `${text.replace(/\s+/g, ' ').trim().replace(/\.+$/, '')}.`;
}
