import { JsonObject } from './scaffolder';

/** One set of form values and what it should render. */
export type RenderCase = {
  title: string;
  values: JsonObject;
  expected: {
    basePackage: string;
    costCenter: string;
    businessUnit: string;
    system?: string;
  };
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
export const serviceCases: RenderCase[] = [
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
    expected: {
      basePackage: 'com.example.ordersservice',
      costCenter: 'CC-1001',
      businessUnit: 'group:default/payments',
      system: 'system:default/payments-platform',
    },
  },
];

/** Valid values for the library template. */
export const libraryCases: RenderCase[] = [
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
    expected: {
      basePackage: 'com.example.moneyutils',
      costCenter: 'CC-1002',
      businessUnit: 'group:default/payments',
      system: 'system:default/payments-platform',
    },
  },
];
