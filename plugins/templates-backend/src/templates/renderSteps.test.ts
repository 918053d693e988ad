import { assertNoStepSkipped, renderSteps } from './renderSteps';

const steps = [
  { id: 'nameFree', action: 'paved-road:catalog:assert-name-free' },
  { id: 'plan', action: 'paved-road:publish:plan' },
  { id: 'fetch', action: 'fetch:template' },
  { id: 'annotate', action: 'paved-road:catalog-info:annotate' },
  { id: 'publish', action: 'paved-road:publish' },
  { id: 'register', action: 'paved-road:catalog:register' },
];

describe('renderSteps', () => {
  it('keeps the steps before the first publish step, less the name check', () => {
    expect(renderSteps(steps, 'template:default/t').map(s => s.id)).toEqual([
      'plan',
      'fetch',
      'annotate',
    ]);
    expect(
      renderSteps(
        [
          { id: 'fetch', action: 'fetch:plain' },
          { id: 'gh', action: 'publish:github' },
          { id: 'after', action: 'fetch:plain' },
        ],
        'template:default/t',
      ).map(s => s.id),
    ).toEqual(['fetch']);
  });

  it('refuses a template that publishes nothing', () => {
    expect(() =>
      renderSteps(
        [{ id: 'fetch', action: 'fetch:plain' }],
        'template:default/t',
      ),
    ).toThrow('template:default/t has no publish step');
  });
});

describe('assertNoStepSkipped', () => {
  it('fails naming a step skipped for not supporting dry runs', () => {
    expect(() =>
      assertNoStepSkipped(
        [
          {
            body: {
              stepId: 'fetch',
              status: 'skipped',
              message:
                'Skipping because fetch:template does not support dry-run',
            },
          },
        ],
        steps,
      ),
    ).toThrow(/^Step fetch \(fetch:template\) was skipped/);
  });

  it('accepts a step whose if condition was false', () => {
    expect(() =>
      assertNoStepSkipped(
        [
          {
            body: {
              stepId: 'fetch',
              status: 'skipped',
              message: 'Skipping step fetch because its if condition was false',
            },
          },
          { body: { stepId: 'plan', status: 'completed' } },
        ],
        steps,
      ),
    ).not.toThrow();
  });
});
