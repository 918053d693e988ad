import { parseAnswersFile, resolveAnswers } from './answers';

const PARAMETERS = [
  {
    title: 'Service',
    required: ['name', 'owner'],
    properties: {
      name: { type: 'string' },
      owner: { type: 'string', title: 'Owner', description: 'The team' },
      apiKey: { type: 'string', 'ui:field': 'Secret' },
    },
  },
  {
    title: 'Deployment',
    properties: {
      greeting: { type: 'string', default: 'Hello' },
      javaVersion: {
        title: 'Java version',
        type: 'string',
        enum: ['17', '25'],
        default: '17',
      },
      costCenter: {
        type: 'string',
        pattern: '^CC-\\d{4}$',
        errorMessage: { pattern: 'use the form CC-1234' },
      },
      deployment: {
        type: 'object',
        required: ['replicas'],
        properties: {
          replicas: { type: 'integer', default: 2 },
          region: { type: 'string', default: 'eu-west-1' },
        },
      },
    },
  },
];

describe('resolveAnswers', () => {
  it('takes the stored answers, then the overrides, then defaults of questions neither holds', () => {
    const { values, newAnswers, missingAnswers } = resolveAnswers(
      PARAMETERS,
      { name: 'orders', owner: 'group:default/a', deployment: { replicas: 3 } },
      { owner: 'group:default/b' },
    );
    expect(values).toEqual({
      name: 'orders',
      owner: 'group:default/b',
      greeting: 'Hello',
      javaVersion: '17',
      deployment: { replicas: 3, region: 'eu-west-1' },
    });
    expect(newAnswers).toEqual({
      greeting: 'Hello',
      javaVersion: '17',
      deployment: { region: 'eu-west-1' },
    });
    expect(missingAnswers).toEqual([]);
  });

  it('asks again for a stored answer the newer form no longer offers, instead of defaulting it', () => {
    const { values, newAnswers, missingAnswers } = resolveAnswers(
      PARAMETERS,
      { name: 'orders', owner: 'group:default/a', javaVersion: '21' },
    );
    expect(values).not.toHaveProperty('javaVersion');
    expect(newAnswers).not.toHaveProperty('javaVersion');
    expect(missingAnswers).toEqual([
      {
        name: 'javaVersion',
        title: 'Java version',
        type: 'string',
        enum: ['17', '25'],
        problem: 'the stored answer "21" is not one of "17", "25"',
      },
    ]);
    // Answered with the upgrade, it renders
    expect(
      resolveAnswers(
        PARAMETERS,
        { name: 'orders', owner: 'group:default/a', javaVersion: '21' },
        { javaVersion: '25' },
      ),
    ).toMatchObject({ values: { javaVersion: '25' }, missingAnswers: [] });
  });

  it("refuses an answer given with the upgrade that the form does not accept, in the template's words", () => {
    const stored = { name: 'orders', owner: 'group:default/a' };
    expect(() =>
      resolveAnswers(PARAMETERS, stored, { javaVersion: '11' }),
    ).toThrow('answers.javaVersion: is not one of "17", "25"');
    expect(() =>
      resolveAnswers(PARAMETERS, stored, { costCenter: 'cc1' }),
    ).toThrow('answers.costCenter: use the form CC-1234');
    expect(() =>
      resolveAnswers(PARAMETERS, stored, { deployment: { replicas: 'two' } }),
    ).toThrow(/^answers\.deployment\.replicas: .*integer/);
  });

  it('lists required questions with neither an answer nor a default', () => {
    expect(
      resolveAnswers(PARAMETERS, { name: 'orders' }).missingAnswers,
    ).toEqual([
      {
        name: 'owner',
        title: 'Owner',
        type: 'string',
        description: 'The team',
      },
    ]);
  });

  it('never renders with a secret field, stored or given', () => {
    const { values } = resolveAnswers(
      PARAMETERS,
      { name: 'orders', owner: 'group:default/a', apiKey: 'stored' },
      { apiKey: 'given' },
    );
    expect(values).not.toHaveProperty('apiKey');
  });
});

describe('parseAnswersFile', () => {
  it('reads what paved-road:catalog-info:annotate writes', () => {
    expect(
      parseAnswersFile(
        '# comment\ntemplate: template:default/orders\nversion: 1.0.0\nanswers:\n  name: orders\n',
      ),
    ).toEqual({
      template: 'template:default/orders',
      version: '1.0.0',
      answers: { name: 'orders' },
    });
  });

  it('refuses a file without an answers mapping', () => {
    expect(() => parseAnswersFile('answers: [1]\n')).toThrow(
      '.paved-road/answers.yaml holds no answers mapping',
    );
    expect(() => parseAnswersFile('a: [\n')).toThrow('is not valid YAML');
  });
});
