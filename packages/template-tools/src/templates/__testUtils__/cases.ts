import { JsonObject } from './render';

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
 * Every option of the service template that changes the files: Java 17 and
 * 25, with and without a system, default and explicit cost center, derived
 * and explicit base package, each rollout strategy.
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
  {
    title: 'java 17, without system, explicit cost center and package',
    values: {
      name: 'fleet-tracker',
      description: 'Tracks the fleet',
      owner: 'group:default/fleet',
      costCenter: 'CC-2002',
      groupId: 'io.acme',
      basePackage: 'io.acme.logistics.fleet_tracker',
      javaVersion: '17',
      deployment: {
        cluster: 'eu-prod',
        replicas: 1,
        cpuMillicores: 250,
        memoryMiB: 384,
        regions: ['eu-west-1'],
        rollout: { strategy: 'rolling' },
      },
    },
    expected: {
      basePackage: 'io.acme.logistics.fleet_tracker',
      costCenter: 'CC-2002',
      businessUnit: 'group:default/logistics',
    },
  },
  {
    title: 'java 25, with system',
    values: {
      name: 'billing-api',
      description: 'Bills',
      owner: 'group:default/payments-core',
      system: 'system:default/payments-platform',
      groupId: 'io.acme.billing',
      javaVersion: '25',
      deployment,
    },
    expected: {
      basePackage: 'io.acme.billing.billingapi',
      costCenter: 'CC-1001',
      businessUnit: 'group:default/payments',
      system: 'system:default/payments-platform',
    },
  },
  {
    title: 'java 25, without system, recreate',
    values: {
      name: 'stock-keeper',
      description: 'Keeps stock',
      owner: 'group:default/warehouse',
      system: '',
      costCenter: 'CC-2001',
      groupId: 'com.example',
      basePackage: '',
      javaVersion: '25',
      deployment: {
        ...deployment,
        regions: ['eu-west-1', 'eu-central-1', 'us-east-1'],
        rollout: { strategy: 'recreate' },
      },
    },
    expected: {
      basePackage: 'com.example.stockkeeper',
      costCenter: 'CC-2001',
      businessUnit: 'group:default/logistics',
    },
  },
];

/** Every option of the library template that changes the files. */
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
  {
    title: 'java 17, without registryUrl or system',
    values: {
      name: 'geo-kit',
      description: 'Geometry for routes',
      owner: 'group:default/fleet',
      groupId: 'io.acme',
      basePackage: 'io.acme.geo',
      javaVersion: '17',
    },
    expected: {
      basePackage: 'io.acme.geo',
      costCenter: 'CC-2001',
      businessUnit: 'group:default/logistics',
    },
  },
  {
    title: 'java 25, with registryUrl',
    values: {
      name: 'ledger-core',
      description: 'Double-entry ledger',
      owner: 'group:default/checkout',
      groupId: 'com.example',
      javaVersion: '25',
      registryUrl: 'file:///srv/maven',
    },
    expected: {
      basePackage: 'com.example.ledgercore',
      costCenter: 'CC-1001',
      businessUnit: 'group:default/payments',
    },
  },
  {
    title: 'java 25, without registryUrl',
    values: {
      name: 'route-math',
      description: 'Route maths',
      owner: 'group:default/warehouse',
      system: 'system:default/logistics-platform',
      registryUrl: '',
      groupId: 'com.example',
      javaVersion: '25',
    },
    expected: {
      basePackage: 'com.example.routemath',
      costCenter: 'CC-2001',
      businessUnit: 'group:default/logistics',
      system: 'system:default/logistics-platform',
    },
  },
];
