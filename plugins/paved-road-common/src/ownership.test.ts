import { Entity } from '@backstage/catalog-model';
import {
  compileCostCenterPattern,
  indexGroups,
  matchesCostCenterPattern,
  readBusinessUnitCostCenters,
  resolveBusinessUnit,
  resolveOwnership,
} from './ownership';

// Built at runtime so lint does not mistake test data for a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

function group(
  name: string,
  spec: { type: string; parent?: string },
  costCenters?: string,
  namespace?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(costCenters
        ? { annotations: { 'paved-road.io/cost-centers': costCenters } }
        : {}),
    },
    spec: { children: [], ...spec },
  };
}

// Mirrors templates/sample-org/org.yaml.
const sampleOrg = [
  group('payments', { type: 'business-unit' }, 'CC-1001,CC-1002'),
  group('logistics', { type: 'business-unit' }, 'CC-2001,CC-2002'),
  group('payments-core', { type: 'team', parent: 'payments' }),
  group('checkout', { type: 'team', parent: 'group:default/payments' }),
  group('fleet', { type: 'team', parent: 'logistics' }),
  group('warehouse', { type: 'team', parent: 'logistics' }),
];

describe('resolveBusinessUnit', () => {
  const groups = indexGroups(sampleOrg);

  it('resolves a team to its business unit and cost centers', () => {
    expect(resolveBusinessUnit('checkout', groups)).toEqual({
      ok: true,
      value: {
        owner: 'group:default/checkout',
        businessUnit: 'group:default/payments',
        costCenters: ['CC-1001', 'CC-1002'],
        chain: ['group:default/checkout', 'group:default/payments'],
      },
    });
  });

  it('treats a business unit that owns directly as its own unit', () => {
    const result = resolveBusinessUnit('group:default/Logistics', groups);
    expect(result.ok && result.value.businessUnit).toBe(
      'group:default/logistics',
    );
  });

  it('walks deep chains', () => {
    const deep = indexGroups([
      ...sampleOrg,
      group('platform', { type: 'department', parent: 'logistics' }),
      group('infra', { type: 'department', parent: 'platform' }),
      group('sre', { type: 'team', parent: 'infra' }),
      group('oncall', { type: 'sub-team', parent: 'sre' }),
    ]);
    const result = resolveBusinessUnit('oncall', deep);
    expect(result.ok && result.value.chain).toEqual([
      'group:default/oncall',
      'group:default/sre',
      'group:default/infra',
      'group:default/platform',
      'group:default/logistics',
    ]);
  });

  it('resolves parents in the child namespace', () => {
    const namespaced = indexGroups([
      group('retail', { type: 'business-unit' }, 'CC-3001', 'shop'),
      group('tills', { type: 'team', parent: 'retail' }, undefined, 'shop'),
    ]);
    const result = resolveBusinessUnit('group:shop/tills', namespaced);
    expect(result.ok && result.value.businessUnit).toBe('group:shop/retail');
  });

  it('stops on a loop in spec.parent', () => {
    const looped = indexGroups([
      group('a', { type: 'team', parent: 'b' }),
      group('b', { type: 'team', parent: 'c' }),
      group('c', { type: 'team', parent: 'a' }),
    ]);
    const result = resolveBusinessUnit('a', looped);
    expect(result).toEqual({
      ok: false,
      problem: expect.objectContaining({
        code: 'no-business-unit',
        chain: ['group:default/a', 'group:default/b', 'group:default/c'],
        message: expect.stringContaining('loops back to group:default/a'),
      }),
    });
  });

  it('stops on a self parent', () => {
    const self = indexGroups([group('a', { type: 'team', parent: 'a' })]);
    const result = resolveBusinessUnit('a', self);
    expect(!result.ok && result.problem.code).toBe('no-business-unit');
  });

  it('reports unknown owners and unknown parents differently, naming the missing group', () => {
    expect(resolveBusinessUnit('ghosts', groups)).toEqual({
      ok: false,
      problem: expect.objectContaining({
        code: 'unknown-owner',
        missingGroup: 'group:default/ghosts',
        message: 'Owner group:default/ghosts is not a Group in the catalog',
      }),
    });
    const orphan = indexGroups([group('lost', { type: 'team', parent: 'x' })]);
    expect(resolveBusinessUnit('lost', orphan)).toEqual({
      ok: false,
      problem: expect.objectContaining({
        code: 'no-business-unit',
        missingGroup: 'group:default/x',
        message: expect.stringContaining(
          'spec.parent group:default/x is not a Group',
        ),
      }),
    });
  });

  it('names no missing group when the chain is there but wrong', () => {
    const flat = indexGroups([group('solo', { type: 'team' })]);
    const solo = resolveBusinessUnit('solo', flat);
    expect(!solo.ok && (solo.problem as any).missingGroup).toBeUndefined();
    const user = resolveBusinessUnit('user:default/jane', groups);
    expect(!user.ok && (user.problem as any).missingGroup).toBeUndefined();
  });

  it('reports a top-level team without a business unit', () => {
    const flat = indexGroups([group('solo', { type: 'team' })]);
    const result = resolveBusinessUnit('solo', flat);
    expect(!result.ok && result.problem.message).toContain(
      'group:default/solo has no spec.parent',
    );
  });

  it('rejects missing and non-group owners', () => {
    expect(resolveBusinessUnit(undefined, groups)).toEqual({
      ok: false,
      problem: { code: 'missing-owner', message: 'No owner is set' },
    });
    const user = resolveBusinessUnit('user:default/jane', groups);
    expect(!user.ok && user.problem.code).toBe('unknown-owner');
    expect(!user.ok && user.problem.message).toContain('is not a Group');
  });
});

describe('resolveOwnership', () => {
  const groups = indexGroups(sampleOrg);

  it('defaults to the first cost center of the unit', () => {
    expect(resolveOwnership({ owner: 'fleet', groups })).toMatchObject({
      costCenter: 'CC-2001',
      costCenterDefaulted: true,
      problems: [],
    });
  });

  it('keeps a valid requested cost center', () => {
    expect(
      resolveOwnership({ owner: 'warehouse', costCenter: 'CC-2002', groups }),
    ).toMatchObject({ costCenter: 'CC-2002', costCenterDefaulted: false });
  });

  it('rejects a cost center of another business unit', () => {
    const result = resolveOwnership({
      owner: 'checkout',
      costCenter: 'CC-2001',
      groups,
    });
    expect(result.costCenter).toBeUndefined();
    expect(result.businessUnit?.businessUnit).toBe('group:default/payments');
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'cost-center-not-in-business-unit',
        message:
          'Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
      }),
    ]);
  });

  it('reports malformed values without echoing them raw', () => {
    const result = resolveOwnership({
      owner: 'checkout',
      costCenter: SCRIPT_URL,
      groups,
    });
    expect(result.costCenter).toBeUndefined();
    expect(result.problems.map(p => p.code)).toEqual(['malformed-cost-center']);
    expect(result.problems[0].message).toContain(JSON.stringify(SCRIPT_URL));
  });

  it('reports both a bad cost center and a bad owner', () => {
    const result = resolveOwnership({
      owner: 'ghosts',
      costCenter: 'nope',
      groups,
    });
    expect(result.problems.map(p => p.code)).toEqual([
      'malformed-cost-center',
      'unknown-owner',
    ]);
  });

  it('reports a business unit without valid cost centers', () => {
    const empty = indexGroups([
      group('bare', { type: 'business-unit' }, 'bogus'),
      group('t', { type: 'team', parent: 'bare' }),
    ]);
    expect(resolveOwnership({ owner: 't', groups: empty }).problems).toEqual([
      expect.objectContaining({ code: 'no-cost-centers' }),
    ]);
  });

  it('honours a configured pattern, always anchored', () => {
    const pattern = compileCostCenterPattern('FIN-[0-9]{3}');
    const fin = indexGroups([
      group('finance', { type: 'business-unit' }, 'FIN-001,CC-1001'),
    ]);
    expect(
      resolveOwnership({
        owner: 'finance',
        groups: fin,
        costCenterPattern: pattern,
      }),
    ).toMatchObject({ costCenter: 'FIN-001', problems: [] });
    expect(matchesCostCenterPattern('xFIN-001', pattern)).toBe(false);
    expect(matchesCostCenterPattern('FIN-001\n', pattern)).toBe(false);
    expect(
      readBusinessUnitCostCenters(fin.get('group:default/finance')!, pattern),
    ).toEqual({ valid: ['FIN-001'], malformed: ['CC-1001'] });
  });

  it('rejects overlong values before matching', () => {
    const loose = compileCostCenterPattern('CC-\\d+');
    expect(matchesCostCenterPattern(`CC-${'1'.repeat(100)}`, loose)).toBe(
      false,
    );
  });
});
