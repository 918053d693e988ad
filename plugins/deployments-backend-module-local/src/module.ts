import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { deploymentProvidersExtensionPoint } from '@paved-road/plugin-deployments-node';
import { ArtifactBuilder } from './build/ArtifactBuilder';
import { MavenBuilder } from './build/MavenBuilder';
import { readLocalRuntimeConfig } from './config';
import { LocalRuntimeStore } from './database/LocalRuntimeStore';
import { InstanceLauncher, javaLauncher } from './instances/launcher';
import { LocalDeploymentProvider } from './LocalDeploymentProvider';
import { LocalRuntime } from './runtime/LocalRuntime';

/** What tests replace: the build, the command an instance runs, timing. */
export interface LocalRuntimeModuleOptions {
  builder?: ArtifactBuilder;
  launcher?: InstanceLauncher;
  healthIntervalMs?: number;
}

export function createDeploymentsModuleLocal(
  options: LocalRuntimeModuleOptions = {},
) {
  return createBackendModule({
    pluginId: 'deployments',
    moduleId: 'local',
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          database: coreServices.database,
          logger: coreServices.logger,
          lifecycle: coreServices.lifecycle,
          providers: deploymentProvidersExtensionPoint,
        },
        async init({ config, database, logger, lifecycle, providers }) {
          const runtimeConfig = readLocalRuntimeConfig(config);
          const runtime = new LocalRuntime({
            store: await LocalRuntimeStore.create({ database }),
            launcher: options.launcher ?? javaLauncher,
            logger,
            config: runtimeConfig,
            healthIntervalMs: options.healthIntervalMs ?? 2000,
          });
          await runtime.start();
          lifecycle.addShutdownHook(() => runtime.shutdown());
          providers.addProvider(
            new LocalDeploymentProvider(
              runtime,
              options.builder ??
                new MavenBuilder({ skipTests: runtimeConfig.skipTests }),
            ),
          );
        },
      });
    },
  });
}

/**
 * The `local` deployment provider: Maven builds and JVM processes on the
 * backend's machine, one stable local URL per service and environment.
 *
 * @public
 */
export const deploymentsModuleLocal = createDeploymentsModuleLocal();
