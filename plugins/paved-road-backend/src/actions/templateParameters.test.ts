import {
  applyParameterDefaults,
  describeValidationErrors,
  missingParameters,
  parameterSteps,
  summarizeParameters,
  unknownParameters,
} from './templateParameters';

// The shape of the Kotlin service template's parameters, shortened.
const SPEC = {
  parameters: [
    {
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
    {
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
      },
      dependencies: {
        deployAfterCreation: {
          properties: { environment: { type: 'string' } },
        },
      },
    },
  ],
};

describe('template parameters', () => {
  const steps = parameterSteps(SPEC);

  it('summarizes every parameter from the template itself: nested names, types, required, defaults, enums, pages', () => {
    expect(summarizeParameters(steps)).toEqual([
      {
        name: 'name',
        title: 'Name',
        description: null,
        type: 'string',
        required: true,
        conditional: false,
        enum: null,
        step: 'Service',
      },
      expect.objectContaining({ name: 'owner', required: true }),
      expect.objectContaining({
        name: 'costCenter',
        required: false,
        default: '',
      }),
      expect.objectContaining({
        name: 'deployment.replicas',
        type: 'integer',
        required: true,
        default: 2,
        step: 'Deployment',
      }),
      expect.objectContaining({
        name: 'deployment.regions',
        type: 'array of string',
        required: false,
      }),
      expect.objectContaining({
        name: 'deployment.rollout.strategy',
        required: false,
        enum: ['canary', 'rolling'],
      }),
      expect.objectContaining({
        name: 'estimate',
        type: 'null',
        default: null,
      }),
      expect.objectContaining({ name: 'deployAfterCreation', type: 'boolean' }),
      expect.objectContaining({
        name: 'environment',
        required: false,
        conditional: true,
      }),
    ]);
  });

  it('reads a single parameters object as one page', () => {
    expect(
      parameterSteps({ parameters: { properties: { a: { type: 'string' } } } }),
    ).toHaveLength(1);
    expect(parameterSteps({})).toEqual([]);
  });

  it('fills the defaults where nothing was given, nested ones too, keeping what was given', () => {
    expect(
      applyParameterDefaults(steps, {
        name: 'orders',
        deployment: { replicas: 3 },
      }),
    ).toEqual({
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
  });

  it('lists required values that are missing after defaults, nested ones by their dotted name', () => {
    const values = applyParameterDefaults(steps, { name: 'orders' });
    expect(missingParameters(steps, values).map(p => p.name)).toEqual([
      'owner',
    ]);
    expect(
      missingParameters(steps, { name: 'x', owner: 'y', deployment: {} }).map(
        p => p.name,
      ),
    ).toEqual(['deployment.replicas']);
  });

  it('names top-level values the template does not ask for', () => {
    expect(
      unknownParameters(steps, { name: 'x', owners: 'y', environment: 'z' }),
    ).toEqual(['owners']);
  });

  it("describes the scaffolder's errors per field, with the template's own message where it has one", () => {
    expect(
      describeValidationErrors([
        {
          property: 'instance',
          name: 'required',
          argument: 'owner',
          message: 'requires property "owner"',
        },
        {
          property: 'instance.name',
          name: 'pattern',
          message: 'does not match pattern "^[a-z-]+$"',
          schema: { errorMessage: { pattern: 'use lower-case letters' } },
        },
        {
          property: 'instance.deployment.replicas',
          name: 'minimum',
          message: 'must be greater than or equal to 1',
          schema: { minimum: 1 },
        },
        {
          property: 'instance.deployment',
          name: 'required',
          argument: 'rollout',
        },
      ]),
    ).toEqual([
      'owner: is required',
      'name: use lower-case letters',
      'deployment.replicas: must be greater than or equal to 1',
      'deployment.rollout: is required',
    ]);
  });
});
