import {
  applyTemplateParameterDefaults,
  listTemplateParameters,
  missingTemplateParameters,
  TemplateParameterStep,
  unknownTemplateParameters,
} from './templateParameters';

// The shape of the Kotlin service template's parameters, shortened.
const steps: TemplateParameterStep[] = [
  {
    title: 'Service',
    schema: {
      title: 'Service',
      required: ['name', 'owner'],
      properties: {
        name: { title: 'Name', type: 'string', pattern: '^[a-z-]+$' },
        owner: {
          title: 'Owning team',
          type: 'string',
          'ui:field': 'OwnerPicker',
        },
        costCenter: { type: 'string', default: '' },
      },
    },
  },
  {
    title: 'Deployment',
    schema: {
      title: 'Deployment',
      required: ['deployment'],
      properties: {
        deployment: {
          type: 'object',
          required: ['replicas', 'rollout'],
          properties: {
            replicas: { type: 'integer', default: 2, minimum: 1 },
            regions: {
              type: 'array',
              items: { type: 'string' },
              default: ['eu-west-1'],
            },
            rollout: {
              type: 'object',
              properties: {
                strategy: {
                  type: 'string',
                  enum: ['canary', 'rolling'],
                  default: 'canary',
                },
              },
            },
          },
        },
        estimate: { type: 'null', enum: [null], default: null },
        deployAfterCreation: { type: 'boolean', default: false },
        label: { type: ['string', 'null'] },
      },
      dependencies: {
        deployAfterCreation: {
          oneOf: [
            {
              properties: {
                deployAfterCreation: { const: true },
                environment: { type: 'string' },
              },
              required: ['environment'],
            },
          ],
        },
      },
    },
  },
];

describe('template parameters', () => {
  it('lists every parameter: nested names, types, required, defaults, enums, pages', () => {
    const parameters = listTemplateParameters(steps);
    expect(parameters.map(p => p.name)).toEqual([
      'name',
      'owner',
      'costCenter',
      'deployment.replicas',
      'deployment.regions',
      'deployment.rollout.strategy',
      'deployAfterCreation',
      'label',
      'environment',
    ]);
    // Each field keeps its own schema, for callers that check or coerce values.
    const [name] = parameters;
    expect(name.schema).toBe(steps[0].schema.properties!.name);
    expect(name).not.toHaveProperty('default');
    expect([name.path, name.title, name.description, name.enum]).toEqual([
      ['name'],
      'Name',
      null,
      null,
    ]);
    const byName = Object.fromEntries(parameters.map(p => [p.name, p]));
    expect(byName.name).toMatchObject({
      type: 'string',
      required: true,
      conditional: false,
      step: 'Service',
    });
    expect(byName.costCenter).toMatchObject({ required: false, default: '' });
    expect(byName['deployment.replicas']).toMatchObject({
      path: ['deployment', 'replicas'],
      type: 'integer',
      required: true,
      default: 2,
      step: 'Deployment',
    });
    expect(byName['deployment.regions'].type).toBe('array of string');
    // Not in its object's `required`, though the object is: optional.
    expect(byName['deployment.rollout.strategy']).toMatchObject({
      required: false,
      enum: ['canary', 'rolling'],
    });
    expect(byName.label.type).toBe('string | null');
  });

  it('skips null-only fields, which the form only displays', () => {
    expect(
      listTemplateParameters(steps).find(p => p.name === 'estimate'),
    ).toBeUndefined();
  });

  it('marks fields of a branch, nested branches too, as conditional and never required', () => {
    expect(
      listTemplateParameters(steps).find(p => p.name === 'environment'),
    ).toMatchObject({ required: false, conditional: true });
  });

  it('fills the defaults where nothing was given, nested ones too, keeping what was given', () => {
    const given = { name: 'orders', deployment: { replicas: 3 } };
    expect(applyTemplateParameterDefaults(steps, given)).toEqual({
      name: 'orders',
      costCenter: '',
      deployment: {
        replicas: 3,
        regions: ['eu-west-1'],
        rollout: { strategy: 'canary' },
      },
      estimate: null,
      deployAfterCreation: false,
    });
    expect(given).toEqual({ name: 'orders', deployment: { replicas: 3 } });
  });

  it('lists required values that are missing after defaults, nested ones by their dotted name', () => {
    const values = applyTemplateParameterDefaults(steps, { name: 'orders' });
    expect(missingTemplateParameters(steps, values).map(p => p.name)).toEqual([
      'owner',
    ]);
    expect(
      missingTemplateParameters(steps, {
        name: 'x',
        owner: 'y',
        deployment: {},
      }).map(p => p.name),
    ).toEqual(['deployment.replicas']);
  });

  it('names top-level values the template does not ask for', () => {
    expect(
      unknownTemplateParameters(steps, {
        name: 'x',
        owners: 'y',
        environment: 'z',
        deployment: {},
      }),
    ).toEqual(['owners']);
  });
});
