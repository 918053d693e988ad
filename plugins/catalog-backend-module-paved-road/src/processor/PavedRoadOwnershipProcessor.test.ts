import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorResult,
  LocationSpec,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import {
  classifyHygieneMessage,
  indexGroups,
} from '@paved-road/plugin-paved-road-common';
import { BusinessUnitPartsSource } from './BusinessUnitParts';
import { OrgSnapshot } from './OrgSnapshotCache';
import { PavedRoadOwnershipProcessor } from './PavedRoadOwnershipProcessor';

// Built at runtime so lint does not mistake test data for a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

const location: LocationSpec = {
  type: 'url',
  target: 'https://x/catalog.yaml',
};

function fixtureEntities(): Entity[] {
  const data = readFileSync(resolvePath(__dirname, '../__fixtures__/org.yaml'));
  return [...parseEntityYaml(data, location)].flatMap(r =>
    r.type === 'entity' ? [r.entity] : [],
  );
}

const fixtures = fixtureEntities();
const byName = (name: string) =>
  structuredClone(fixtures.find(e => e.metadata.name === name)!);

function group(name: string, type: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type, children: [], ...(parent ? { parent } : {}) },
  };
}

function component(spec: Record<string, unknown>, cc?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'subject',
      ...(cc !== undefined
        ? { annotations: { 'paved-road.io/cost-center': cc } }
        : {}),
    },
    spec: { type: 'service', lifecycle: 'production', ...spec },
  };
}

function snapshotOf(entities: Entity[]): OrgSnapshot {
  return {
    groups: indexGroups(entities),
    systems: new Map(
      entities
        .filter(e => e.kind === 'System')
        .map(e => [stringifyEntityRef(e), e]),
    ),
  };
}

async function run(
  entity: Entity,
  org: Entity[] = fixtures,
  config: object = {},
  parts?: BusinessUnitPartsSource,
) {
  const getSnapshot = jest.fn(async () => snapshotOf(org));
  const processor = PavedRoadOwnershipProcessor.fromConfig(
    new ConfigReader(config),
    { org: { getSnapshot }, parts },
  );
  const emitted: CatalogProcessorResult[] = [];
  const emit = (r: CatalogProcessorResult) => emitted.push(r);
  const processed = await processor.preProcessEntity(entity, location, emit);
  return {
    entity: processed,
    annotations: processed.metadata.annotations ?? {},
    errors: emitted.flatMap(r => (r.type === 'error' ? [r.error.message] : [])),
    relations: emitted.flatMap(r =>
      r.type === 'relation'
        ? [
            `${stringifyEntityRef(r.relation.source)} ${
              r.relation.type
            } ${stringifyEntityRef(r.relation.target)}`,
          ]
        : [],
    ),
    getSnapshot,
  };
}

describe('PavedRoadOwnershipProcessor', () => {
  it('does all its work in preProcessEntity, its only stage', () => {
    const processor: CatalogProcessor = PavedRoadOwnershipProcessor.fromConfig(
      new ConfigReader({}),
      { org: { getSnapshot: async () => snapshotOf(fixtures) } },
    );
    // Each stage a processor implements costs the engine a span and
    // wrappers per entity, and the tests below exercise only this one.
    expect(processor.preProcessEntity).toBeDefined();
    expect(processor.postProcessEntity).toBeUndefined();
  });

  it('reloads the organisation once when the owner is not known yet', async () => {
    const stale = snapshotOf(
      fixtures.filter(e => e.metadata.name !== 'checkout'),
    );
    const fresh = snapshotOf(fixtures);
    const getSnapshot = jest
      .fn()
      .mockResolvedValueOnce(stale)
      .mockResolvedValueOnce(fresh);
    const processor = PavedRoadOwnershipProcessor.fromConfig(
      new ConfigReader({}),
      { org: { getSnapshot } },
    );
    const errors: string[] = [];
    const entity = await processor.preProcessEntity(
      byName('orders-service'),
      location,
      r => r.type === 'error' && errors.push(r.error.message),
    );

    expect(errors).toEqual([]);
    expect(getSnapshot).toHaveBeenLastCalledWith({ maxAgeMs: 2000 });
    expect(entity.metadata.annotations?.['paved-road.io/business-unit']).toBe(
      'group:default/payments',
    );
  });

  it('attaches the business unit and relates the entity to it', async () => {
    const result = await run(byName('orders-service'));
    expect(result.errors).toEqual([]);
    expect(result.annotations).toEqual({
      'paved-road.io/cost-center': 'CC-1001',
      'paved-road.io/business-unit': 'group:default/payments',
    });
    // Only the forward relation: a part never emits the Group's side, which
    // would re-stitch the whole business unit on every change of any part.
    expect(result.relations).toEqual([
      'component:default/orders-service partOfBusinessUnit group:default/payments',
    ]);
  });

  it("relates a business unit to its parts when the unit's Group is processed", async () => {
    const getParts = jest.fn(async () => [
      parseEntityRef('component:default/orders-service'),
      parseEntityRef('api:other/payments-api'),
    ]);
    const unit = byName('payments');
    const result = await run(unit, fixtures, {}, { getParts });
    expect(getParts).toHaveBeenCalledWith('group:default/payments');
    expect(result.errors).toEqual([]);
    expect(result.entity).toEqual(unit);
    expect(result.relations).toEqual([
      'group:default/payments hasBusinessUnitPart component:default/orders-service',
      'group:default/payments hasBusinessUnitPart api:other/payments-api',
    ]);
  });

  it('asks for parts only on business units', async () => {
    const getParts = jest.fn(async () => []);
    await run(byName('checkout'), fixtures, {}, { getParts });
    await run(byName('orders-service'), fixtures, {}, { getParts });
    expect(getParts).not.toHaveBeenCalled();
  });

  it("fails the unit's processing, keeping its last relations, when its parts cannot be read", async () => {
    const getParts = jest.fn(async () => {
      throw new Error('catalog down');
    });
    await expect(
      run(byName('payments'), fixtures, {}, { getParts }),
    ).rejects.toThrow(
      'Paved Road could not list the parts of business unit group:default/payments from the catalog',
    );
  });

  it('resolves an owner once per organisation snapshot', async () => {
    const first = snapshotOf(fixtures);
    const moved = snapshotOf(
      fixtures.map(e =>
        e.metadata.name === 'checkout'
          ? { ...e, spec: { ...e.spec, parent: 'logistics' } }
          : e,
      ),
    );
    const getSnapshot = jest.fn(async () => first);
    const processor = PavedRoadOwnershipProcessor.fromConfig(
      new ConfigReader({}),
      { org: { getSnapshot } },
    );
    const lookups = jest.spyOn(first.groups, 'get');
    const unitOf = async (entity: Entity) => {
      const processed = await processor.preProcessEntity(
        entity,
        location,
        () => {},
      );
      return processed.metadata.annotations?.['paved-road.io/business-unit'];
    };

    expect(await unitOf(component({ owner: 'checkout' }))).toBe(
      'group:default/payments',
    );
    const walked = lookups.mock.calls.length;
    expect(walked).toBeGreaterThan(0);
    expect(
      await unitOf({
        ...component({ owner: 'checkout' }),
        metadata: { name: 'another' },
      }),
    ).toBe('group:default/payments');
    expect(lookups).toHaveBeenCalledTimes(walked);

    // A new snapshot (the team moved) is resolved afresh.
    getSnapshot.mockResolvedValue(moved);
    expect(await unitOf(component({ owner: 'checkout' }))).toBe(
      'group:default/logistics',
    );
  });

  it('keeps owners and cost centers apart in its cache', async () => {
    // One snapshot throughout, so every judgement after the first could hit
    // the cache.
    const snapshot = snapshotOf(fixtures);
    const processor = PavedRoadOwnershipProcessor.fromConfig(
      new ConfigReader({}),
      { org: { getSnapshot: async () => snapshot } },
    );
    const judge = async (entity: Entity) => {
      const errors: string[] = [];
      const pre = await processor.preProcessEntity(entity, location, r => {
        if (r.type === 'error') errors.push(r.error.message);
      });
      return { annotations: pre.metadata.annotations, errors };
    };
    expect(
      (await judge(component({ owner: 'checkout' }, 'CC-1002'))).errors,
    ).toEqual([]);
    expect(
      (await judge(component({ owner: 'checkout' }, 'CC-2001'))).errors,
    ).toHaveLength(1);
    expect(
      (await judge(component({ owner: 'fleet' }, 'CC-2001'))).errors,
    ).toEqual([]);
    expect(
      (await judge(component({ owner: 'fleet' }))).annotations,
    ).toMatchObject({ 'paved-road.io/cost-center': 'CC-2001' });
  });

  it('defaults the cost center to the first of the business unit', async () => {
    const result = await run(byName('geo-utils'));
    expect(result.errors).toEqual([]);
    expect(result.annotations['paved-road.io/cost-center']).toBe('CC-2001');
    expect(result.annotations['paved-road.io/business-unit']).toBe(
      'group:default/logistics',
    );
  });

  it('never overrides a valid cost center the author wrote', async () => {
    const result = await run(byName('inventory-service'));
    expect(result.annotations['paved-road.io/cost-center']).toBe('CC-2002');
  });

  it('returns the entity itself when it already carries both annotations', async () => {
    const entity = component({ owner: 'checkout' }, 'CC-1002');
    entity.metadata.annotations!['paved-road.io/business-unit'] =
      'group:default/payments';
    const result = await run(entity);
    expect(result.errors).toEqual([]);
    expect(result.entity).toBe(entity);
    expect(result.annotations).toEqual({
      'paved-road.io/cost-center': 'CC-1002',
      'paved-road.io/business-unit': 'group:default/payments',
    });
    expect(result.relations).toEqual([
      'component:default/subject partOfBusinessUnit group:default/payments',
    ]);
  });

  it('leaves the entity untouched when its owner does not resolve', async () => {
    const entity = component({ owner: 'nobody' });
    const result = await run(entity);
    expect(result.errors).toHaveLength(1);
    expect(result.entity).toBe(entity);
    expect(result.entity.metadata.annotations).toBeUndefined();
  });

  it('treats a blank cost center as not written', async () => {
    const result = await run(component({ owner: 'checkout' }, '  '));
    expect(result.errors).toEqual([]);
    expect(result.annotations['paved-road.io/cost-center']).toBe('CC-1001');
  });

  it('replaces a stale business unit after a team moved', async () => {
    const entity = byName('fleet-tracker');
    entity.metadata.annotations!['paved-road.io/business-unit'] =
      'group:default/payments';
    const result = await run(entity);
    expect(result.annotations['paved-road.io/business-unit']).toBe(
      'group:default/logistics',
    );
  });

  it('reports a cost center of another business unit and keeps it', async () => {
    const result = await run(component({ owner: 'checkout' }, 'CC-2001'));
    expect(result.errors).toEqual([
      'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
    ]);
    expect(result.annotations['paved-road.io/cost-center']).toBe('CC-2001');
  });

  it('reports malformed values without turning them into anything', async () => {
    const result = await run(component({ owner: 'checkout' }, SCRIPT_URL));
    expect(result.errors).toEqual([
      `metadata.annotations.paved-road.io/cost-center: Cost center "${SCRIPT_URL}" does not match the format ^CC-\\d{4,6}$`,
    ]);
    expect(result.annotations['paved-road.io/cost-center']).toBe(SCRIPT_URL);
  });

  it('uses the configured cost center pattern', async () => {
    const result = await run(
      component({ owner: 'checkout' }, 'CC-1001'),
      fixtures,
      {
        pavedRoad: { costCenterPattern: 'FIN-\\d+' },
      },
    );
    expect(result.errors[0]).toContain(
      'does not match the format ^(?:FIN-\\d+)$',
    );
  });

  it('rejects an invalid configured pattern at startup', () => {
    expect(() =>
      PavedRoadOwnershipProcessor.fromConfig(
        new ConfigReader({ pavedRoad: { costCenterPattern: '(' } }),
        { org: { getSnapshot: jest.fn() } },
      ),
    ).toThrow('pavedRoad.costCenterPattern is not a valid regular expression');
  });

  it('reports a missing owner', async () => {
    const result = await run(component({}));
    expect(result.errors).toEqual([
      'spec.owner: no owner is set; Paved Road needs an owning Group to find the business unit and cost center',
    ]);
    expect(result.relations).toEqual([]);
    expect(result.annotations['paved-road.io/business-unit']).toBeUndefined();
  });

  it('reports an owner that does not resolve', async () => {
    const result = await run(component({ owner: 'ghosts' }));
    expect(result.errors).toEqual([
      'spec.owner: Owner group:default/ghosts is not a Group in the catalog',
    ]);
  });

  it('reports an owner without a business unit above it', async () => {
    const org = [...fixtures, group('skunkworks', 'team')];
    const result = await run(component({ owner: 'skunkworks' }), org);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^spec\.owner: Owner group:default\/skunkworks has no business unit above it: group:default\/skunkworks has no spec\.parent/,
      ),
    ]);
  });

  it('walks deep chains to the business unit', async () => {
    const org = [
      ...fixtures,
      group('platform', 'department', 'logistics'),
      group('infra', 'department', 'platform'),
      group('sre', 'team', 'infra'),
    ];
    const result = await run(component({ owner: 'group:default/sre' }), org);
    expect(result.errors).toEqual([]);
    expect(result.annotations['paved-road.io/cost-center']).toBe('CC-2001');
  });

  it('survives a cycle in spec.parent', async () => {
    const org = [group('a', 'team', 'b'), group('b', 'team', 'a')];
    const result = await run(component({ owner: 'a' }), org);
    expect(result.errors).toEqual([
      expect.stringContaining('spec.parent loops back to group:default/a'),
    ]);
  });

  it('reports a parent that is not a known group', async () => {
    const org = [group('lost', 'team', 'nowhere')];
    const result = await run(component({ owner: 'lost' }), org);
    expect(result.errors[0]).toContain(
      'spec.parent group:default/nowhere is not a Group',
    );
  });

  it('falls back to the owner of the system', async () => {
    const system: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'payments-platform' },
      spec: { owner: 'payments-core' },
    };
    const api: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'payments-api' },
      spec: { type: 'openapi', system: 'payments-platform' },
    };
    const result = await run(api, [...fixtures, system]);
    expect(result.errors).toEqual([]);
    expect(result.annotations['paved-road.io/business-unit']).toBe(
      'group:default/payments',
    );
    expect(result.relations[0]).toBe(
      'api:default/payments-api partOfBusinessUnit group:default/payments',
    );
  });

  it('names the system when its owner is unknown', async () => {
    const result = await run(component({ system: 'nowhere' }));
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^spec\.owner \(and spec\.system system:default\/nowhere is not in the catalog\): no owner is set/,
      ),
    ]);
  });

  it.each(['Resource', 'System'])('applies to %s', async kind => {
    const entity = { ...component({ owner: 'warehouse' }), kind };
    const result = await run(entity);
    expect(result.annotations['paved-road.io/cost-center']).toBe('CC-2001');
  });

  it.each(['User', 'Template', 'Location', 'Domain'])(
    'returns %s untouched without reading the org',
    async kind => {
      const entity = { ...component({ owner: 'ghosts' }), kind };
      const result = await run(entity);
      expect(result.entity).toEqual(entity);
      expect(result.errors).toEqual([]);
      expect(result.relations).toEqual([]);
      expect(result.getSnapshot).not.toHaveBeenCalled();
    },
  );

  it('leaves teams untouched', async () => {
    const team = byName('checkout');
    const result = await run(team);
    expect(result.entity).toEqual(team);
    expect(result.errors).toEqual([]);
  });

  it('reports malformed cost centers on a business unit itself', async () => {
    const unit = byName('payments');
    unit.metadata.annotations!['paved-road.io/cost-centers'] =
      'CC-1001,<script>';
    const result = await run(unit);
    expect(result.entity).toEqual(unit);
    expect(result.errors).toEqual([
      'metadata.annotations.paved-road.io/cost-centers: 1 value(s) do not match the cost center format ^CC-\\d{4,6}$',
    ]);

    delete unit.metadata.annotations!['paved-road.io/cost-centers'];
    expect((await run(unit)).errors).toEqual([
      'metadata.annotations.paved-road.io/cost-centers: a business unit needs at least one cost center',
    ]);
  });
});

// paved-road-backend derives the hygiene list from these errors: each must
// read as the problem it is.
describe('PavedRoadOwnershipProcessor errors as hygiene problems', () => {
  async function errorsOf(entity: Entity) {
    const processor = PavedRoadOwnershipProcessor.fromConfig(
      new ConfigReader({}),
      { org: { getSnapshot: async () => snapshotOf(fixtures) } },
    );
    const emitted: string[] = [];
    await processor.preProcessEntity(entity, location, r => {
      if (r.type === 'error') emitted.push(r.error.message);
    });
    return emitted.map(message => classifyHygieneMessage(message));
  }

  it('words each problem so that it classifies as its code', async () => {
    expect(await errorsOf(byName('legacy-billing'))).toEqual([
      'cost-center-not-in-business-unit',
    ]);
    expect(await errorsOf(component({ owner: 'ghosts' }, 'CC-1001'))).toEqual([
      'unknown-owner',
    ]);
    expect(await errorsOf(component({}))).toEqual(['missing-owner']);
    expect(
      await errorsOf(component({ owner: 'checkout' }, SCRIPT_URL)),
    ).toEqual(['malformed-cost-center']);
    expect(await errorsOf(component({ system: 'no-such-system' }))).toEqual([
      'missing-owner',
    ]);
    const unit = byName('logistics');
    unit.metadata.annotations!['paved-road.io/cost-centers'] = '';
    expect(await errorsOf(unit)).toEqual(['business-unit-cost-centers']);
  });

  it('reports nothing for clean entities, teams and other kinds', async () => {
    expect(await errorsOf(byName('geo-utils'))).toEqual([]);
    expect(await errorsOf(byName('checkout'))).toEqual([]);
    const user = { ...component({ owner: 'ghosts' }), kind: 'User' };
    expect(await errorsOf(user)).toEqual([]);
  });
});

describe('PavedRoadOwnershipProcessor with an owner on its way', () => {
  // The catalog registers a team and its components together (the first
  // start, a new team's file) and processes them in no particular order.
  async function processWith(
    entity: Entity,
    options: { org?: Entity[]; pending?: string[] } = {},
  ) {
    const org = options.org ?? fixtures;
    const isPending = jest.fn(async (ref: string) =>
      (options.pending ?? []).includes(ref),
    );
    const processor = PavedRoadOwnershipProcessor.fromConfig(
      new ConfigReader({}),
      {
        org: { getSnapshot: async () => snapshotOf(org) },
        pending: { isPending },
      },
    );
    const errors: string[] = [];
    const relations: string[] = [];
    const processed = await processor.preProcessEntity(entity, location, r => {
      if (r.type === 'error') errors.push(r.error.message);
      if (r.type === 'relation') relations.push(r.relation.type);
    });
    return { processed, errors, relations, isPending };
  }
  const without = (...names: string[]) =>
    fixtures.filter(e => !names.includes(e.metadata.name));

  it('keeps an entity whose owner is registered but not stored yet, unjudged', async () => {
    const entity = component({ owner: 'checkout' });
    const { processed, errors, relations, isPending } = await processWith(
      entity,
      {
        org: without('checkout'),
        pending: ['group:default/checkout'],
      },
    );
    expect(isPending).toHaveBeenCalledWith('group:default/checkout');
    expect(errors).toEqual([]);
    expect(relations).toEqual([]);
    // Stored as it came; its next processing attaches the business unit.
    expect(processed).toBe(entity);
  });

  it('reports an owner the catalog does not have registered', async () => {
    const { errors, isPending } = await processWith(
      component({ owner: 'checkout' }),
      { org: without('checkout'), pending: [] },
    );
    expect(isPending).toHaveBeenCalledWith('group:default/checkout');
    expect(errors).toEqual([
      'spec.owner: Owner group:default/checkout is not a Group in the catalog',
    ]);
  });

  it('waits for a business unit above the owner that is on its way', async () => {
    const { errors, isPending } = await processWith(
      component({ owner: 'checkout' }),
      { org: without('payments'), pending: ['group:default/payments'] },
    );
    expect(isPending).toHaveBeenCalledWith('group:default/payments');
    expect(errors).toEqual([]);
  });

  it('waits for a system on its way when the entity has no owner of its own', async () => {
    const { errors, isPending } = await processWith(
      component({ system: 'payments-platform' }),
      { pending: ['system:default/payments-platform'] },
    );
    expect(isPending).toHaveBeenCalledWith('system:default/payments-platform');
    expect(errors).toEqual([]);
  });

  it('still reports what does not depend on the organisation', async () => {
    const { errors } = await processWith(
      component({ owner: 'checkout' }, SCRIPT_URL),
      { org: without('checkout'), pending: ['group:default/checkout'] },
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^metadata\.annotations\.paved-road\.io\/cost-center: /,
      ),
    ]);
  });

  it('asks nothing for entities that resolve, or owners that are no Group', async () => {
    const clean = await processWith(component({ owner: 'checkout' }));
    expect(clean.isPending).not.toHaveBeenCalled();
    const wrongCostCenter = await processWith(byName('legacy-billing'));
    expect(wrongCostCenter.isPending).not.toHaveBeenCalled();
    expect(wrongCostCenter.errors).toHaveLength(1);
    const user = await processWith(component({ owner: 'user:default/jane' }), {
      pending: ['user:default/jane'],
    });
    expect(user.isPending).not.toHaveBeenCalled();
    expect(user.errors).toEqual([expect.stringContaining('is not a Group')]);
  });
});
