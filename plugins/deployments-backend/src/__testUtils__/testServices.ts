import {
  BackstageCredentials,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  deploymentProvidersExtensionPoint,
  type DeploymentProvider,
} from '@paved-road/plugin-deployments-node';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import { pavedRoadAuditServiceRef } from '@paved-road/plugin-paved-road-node';
import {
  LOCAL_GIT_BASE_URL,
  projectEntity,
  userEntity,
} from './localGitProject';

/** The permission policy of a test: a decision per permission and caller. */
export type Decide = (
  permission: string,
  credentials: BackstageCredentials,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;

/**
 * The services the deployments plugin's tests share: config with the
 * project's local git (plus `deployments`), a catalog with the project and
 * its people (`<name>@example.com`), scheduled tasks kept in `tasks` to run
 * when a test says so, the permission policy `decide`, and the audit trail
 * collected in `events`.
 */
export function testServices(options: {
  directory: string;
  deployments?: JsonObject;
  users: string[];
  decide: Decide;
  tasks: Map<string, () => Promise<void>>;
  events: AuditEventInput[];
}) {
  const { tasks, events, decide } = options;
  return [
    mockServices.rootConfig.factory({
      data: {
        pavedRoad: {
          localGit: {
            directory: options.directory,
            baseUrl: LOCAL_GIT_BASE_URL,
          },
        },
        ...(options.deployments ? { deployments: options.deployments } : {}),
      },
    }),
    catalogServiceMock.factory({
      entities: [
        projectEntity,
        ...options.users.map(name => userEntity(name, `${name}@example.com`)),
      ],
    }),
    mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, async () => {
          await task.fn(new AbortController().signal);
        });
      },
    }).factory,
    mockServices.permissions.mock({
      authorize: async (requests, { credentials }) =>
        requests.map(r => ({ result: decide(r.permission.name, credentials) })),
    }).factory,
    createServiceFactory({
      service: pavedRoadAuditServiceRef,
      deps: {},
      factory: () => ({
        record: async (event: AuditEventInput) => {
          events.push(event);
        },
      }),
    }),
  ];
}

/** The backend module a platform team would write, with a test provider. */
export function providerModule(provider: DeploymentProvider) {
  return createBackendModule({
    pluginId: 'deployments',
    moduleId: 'scripted',
    register(env) {
      env.registerInit({
        deps: { providers: deploymentProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider(provider);
        },
      });
    },
  });
}
