import {
  describeValidationErrors,
  parameterSteps,
  summarizeParameters,
} from './templateParameters';

// A template entity's spec: one titled page, one untitled. The reading of
// the fields themselves is tested in paved-road-common.
const SPEC = {
  parameters: [
    {
      title: 'Service',
      required: ['name'],
      properties: {
        name: { title: 'Name', type: 'string', pattern: '^[a-z-]+$' },
      },
    },
    {
      required: ['deployment'],
      properties: {
        deployment: {
          type: 'object',
          required: ['replicas'],
          properties: { replicas: { type: 'integer', default: 2 } },
        },
        estimate: { type: 'null', enum: [null], default: null },
      },
    },
  ],
};

describe('template parameters', () => {
  const steps = parameterSteps(SPEC);

  it('summarizes each parameter without schema internals, skipping null-only displays', () => {
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
      {
        name: 'deployment.replicas',
        title: null,
        description: null,
        type: 'integer',
        required: true,
        conditional: false,
        default: 2,
        enum: null,
        step: 'Step 2',
      },
    ]);
  });

  it('reads a single parameters object as one page', () => {
    const schema = { properties: { a: { type: 'string' } } };
    expect(parameterSteps({ parameters: schema })).toEqual([
      { title: 'Step 1', schema },
    ]);
    expect(parameterSteps({})).toEqual([]);
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
