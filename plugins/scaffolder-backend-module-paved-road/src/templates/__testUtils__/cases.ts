import { JsonObject } from './scaffolder';

/** One set of form values a task runs with. */
export type ValuesCase = {
  title: string;
  values: JsonObject;
};

const deployment = {
  cluster: 'local',
  replicas: 2,
  cpuMillicores: 500,
  memoryMiB: 512,
  regions: ['eu-west-1', 'us-east-1'],
  rollout: {
    strategy: 'canary',
    canaryPercent: 10,
    healthCheckPath: '/actuator/health',
  },
};

/**
 * Valid values for the service template, for tasks through the module's
 * actions. Every option's rendering is tested in packages/template-tools.
 */
export const serviceCases: ValuesCase[] = [
  {
    title: 'java 17, with system, defaults',
    values: {
      name: 'orders-service',
      description: 'Takes <orders> & "ships" them: fast',
      owner: 'group:default/checkout',
      system: 'system:default/payments-platform',
      costCenter: '',
      groupId: 'com.example',
      basePackage: '',
      javaVersion: '17',
      deployment,
    },
  },
];

/** Valid values for the library template. */
export const libraryCases: ValuesCase[] = [
  {
    title: 'java 17, with registryUrl and system',
    values: {
      name: 'money-utils',
      description: 'Money & <currency> helpers',
      owner: 'group:default/payments-core',
      system: 'system:default/payments-platform',
      costCenter: 'CC-1002',
      groupId: 'com.example',
      basePackage: '',
      javaVersion: '17',
      registryUrl: 'https://maven.pkg.github.com/acme/money-utils',
    },
  },
];
