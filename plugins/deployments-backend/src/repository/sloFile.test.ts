import { formatSloProblem } from '@paved-road/plugin-deployments-common';
import { SLO_FILE } from '../__testUtils__/sloFixtures';
import { readSloFile } from './sloFile';

describe('readSloFile', () => {
  it('reads every SLO document of the file', () => {
    const { slos, problems } = readSloFile(SLO_FILE);

    expect(problems).toEqual([]);
    expect(
      slos.map(slo => [
        slo.name,
        slo.document,
        slo.objectives[0].errorBudget.duration,
      ]),
    ).toEqual([
      ['orders-kt-availability', 1, '3 h 21 min 36 s'],
      ['orders-kt-latency', 2, '1 d 9 h 36 min'],
    ]);
  });

  it('reports a document that is not YAML and still reads the others', () => {
    const [first, second] = SLO_FILE.split('\n---\n');
    const text = [
      first,
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: [broken',
      second,
    ].join('\n---\n');

    const { slos, problems } = readSloFile(text);

    expect(slos.map(slo => [slo.name, slo.document])).toEqual([
      ['orders-kt-availability', 1],
      ['orders-kt-latency', 3],
    ]);
    expect(problems.map(formatSloProblem)).toEqual([
      expect.stringMatching(/^document 2: invalid YAML: /),
    ]);
  });

  it('ignores the other OpenSLO kinds in the file', () => {
    const text = `apiVersion: openslo/v1
kind: Service
metadata:
  name: orders-kt
spec:
  description: Orders
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: page-on-burn
spec: {}
---
${SLO_FILE}`;

    const { slos, problems } = readSloFile(text);

    expect(problems).toEqual([]);
    expect(slos.map(slo => slo.document)).toEqual([3, 4]);
  });
});
