import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  applyAssignments,
  applyDefaults,
  coerceValue,
  listFields,
  missingRequired,
  ParameterStep,
  validateValues,
} from './parameters';

// The real template, as the scaffolder's parameter-schema endpoint serves
// it: one step per page of its `parameters`.
const template = yaml.parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../../templates/kotlin-spring-service/template.yaml',
    ),
    'utf8',
  ),
);
const steps: ParameterStep[] = template.spec.parameters.map(
  (schema: ParameterStep['schema']) => ({
    title: schema.title,
    schema,
  }),
);

const given = {
  name: 'orders-api',
  owner: 'group:default/checkout',
  description: 'Takes orders',
};

describe('template parameters', () => {
  it('lists every field with its type, requiredness, default and allowed values', () => {
    const fields = Object.fromEntries(listFields(steps).map(f => [f.name, f]));

    expect(fields.name).toMatchObject({
      type: 'string',
      required: true,
      hasDefault: false,
      step: 'Service',
    });
    expect(fields.system).toMatchObject({ required: false, default: '' });
    expect(fields.javaVersion).toMatchObject({
      required: true,
      default: '17',
      enum: ['17', '25'],
    });
    expect(fields['deployment.rollout.strategy']).toMatchObject({
      required: true,
      default: 'canary',
      enum: ['canary', 'rolling', 'recreate'],
    });
    // Optional inside a required object: not required.
    expect(fields['deployment.rollout.canaryPercent']).toMatchObject({
      required: false,
      rules: '1..50',
    });
    expect(fields.costCenter.rules).toBe(
      'use the form CC-1234 (4 to 6 digits), or leave empty for the business unit default',
    );
    expect(fields.deployment).toBeUndefined();
  });

  it('fills defaults, nested objects included, without touching what was given', () => {
    const values = applyDefaults(steps, {
      ...given,
      deployment: { replicas: 3 },
    });

    expect(values).toMatchObject({
      ...given,
      system: '',
      costCenter: '',
      groupId: 'com.example',
      javaVersion: '17',
      deployment: {
        cluster: 'local',
        replicas: 3,
        cpuMillicores: 500,
        memoryMiB: 512,
        regions: ['eu-west-1'],
        rollout: {
          strategy: 'canary',
          canaryPercent: 10,
          healthCheckPath: '/actuator/health',
        },
      },
    });
    expect(missingRequired(steps, values)).toEqual([]);
    expect(validateValues(steps, values)).toEqual([]);
  });

  it('reports the required values nobody gave', () => {
    const values = applyDefaults(steps, { name: 'orders-api' });
    expect(missingRequired(steps, values).map(f => f.name)).toEqual(['owner']);
  });

  it('types --set values as the schema types them', () => {
    const values = applyAssignments(steps, {}, [
      'deployment.replicas=4',
      'deployment.regions=eu-west-1, eu-central-1',
      'deployment.rollout.strategy=rolling',
      'description=a=b',
    ]);
    expect(values).toEqual({
      description: 'a=b',
      deployment: {
        replicas: 4,
        regions: ['eu-west-1', 'eu-central-1'],
        rollout: { strategy: 'rolling' },
      },
    });
  });

  it('types booleans, nulls and JSON values as their schema types them', () => {
    const [flag, label, limits] = listFields([
      {
        title: 'Page',
        schema: {
          properties: {
            flag: { type: 'boolean' },
            label: { type: ['string', 'null'] },
            limits: { type: 'object', additionalProperties: true },
          },
        },
      },
    ]);
    expect(['yes', 'On', '1'].map(raw => coerceValue(flag, raw))).toEqual([
      true,
      true,
      true,
    ]);
    expect(coerceValue(flag, 'no')).toBe(false);
    expect(() => coerceValue(flag, 'maybe')).toThrow(
      "flag: 'maybe' is not true or false",
    );
    expect(coerceValue(label, 'null')).toBeNull();
    expect(coerceValue(label, 'small')).toBe('small');
    expect(coerceValue(limits, '{"cpu":2}')).toEqual({ cpu: 2 });
    expect(() => coerceValue(limits, '[1]')).toThrow(
      "limits: '[1]' is not a JSON object",
    );
  });

  it.each([
    [
      'deployment.replicas=three',
      "deployment.replicas: 'three' is not a whole number",
    ],
    ['colour=blue', "--set colour: the template has no parameter 'colour'"],
    ['name', '--set name: write key=value, e.g. --set name=orders-service'],
  ])('refuses --set %s', (assignment, message) => {
    expect(() => applyAssignments(steps, {}, [assignment])).toThrow(message);
  });

  it("names each invalid field with the template's own message", () => {
    const values = applyDefaults(steps, {
      ...given,
      name: 'Orders',
      javaVersion: '11',
      deployment: { replicas: 99, regions: ['mars'] },
    });
    expect(validateValues(steps, values)).toEqual([
      'name: use 3 to 56 lower-case letters, digits and dashes, starting with a letter and not ending with a dash (e.g. orders-service)',
      'javaVersion: must be one of "17", "25"',
      'deployment.replicas: must be <= 50',
      'deployment.regions.0: region like eu-west-1',
    ]);
  });
});
