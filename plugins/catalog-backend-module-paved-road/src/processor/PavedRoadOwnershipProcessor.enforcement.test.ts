import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogProcessorResult,
  LocationSpec,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_OWNERSHIP_PROBLEMS,
  classifyHygieneMessage,
  indexGroups,
  readOwnershipProblems,
} from '@paved-road/plugin-paved-road-common';
import { PavedRoadOwnershipProcessor } from './PavedRoadOwnershipProcessor';

const location: LocationSpec = {
  type: 'url',
  target: 'https://x/catalog.yaml',
};
const fixtures = [
  ...parseEntityYaml(
    readFileSync(resolvePath(__dirname, '../__fixtures__/org.yaml')),
    location,
  ),
].flatMap(r => (r.type === 'entity' ? [r.entity] : []));
const byName = (name: string) =>
  structuredClone(fixtures.find(e => e.metadata.name === name)!);

function component(
  owner: string,
  annotations?: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'subject', ...(annotations ? { annotations } : {}) },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

async function run(entity: Entity, ownership: object) {
  const processor = PavedRoadOwnershipProcessor.fromConfig(
    new ConfigReader({ pavedRoad: { ownership } }),
    {
      org: {
        getSnapshot: async () => ({
          groups: indexGroups(fixtures),
          systems: new Map(
            fixtures
              .filter(e => e.kind === 'System')
              .map(e => [stringifyEntityRef(e), e]),
          ),
        }),
      },
    },
  );
  const emitted: CatalogProcessorResult[] = [];
  const processed = await processor.preProcessEntity(entity, location, r =>
    emitted.push(r),
  );
  const annotations = processed.metadata.annotations ?? {};
  return {
    entity: processed,
    annotations,
    errors: emitted.flatMap(r => (r.type === 'error' ? [r.error.message] : [])),
    relations: emitted.filter(r => r.type === 'relation').length,
    warnings: readOwnershipProblems(annotations[ANNOTATION_OWNERSHIP_PROBLEMS]),
  };
}

// The stock app's own entities: owned by a group with no business unit,
// and no paved-road.io/ annotation.
const stock = () => component('guests');
// Created from a Paved Road template: annotated, and its owner unknown.
const paved = () =>
  component('ghosts', { 'paved-road.io/cost-center': 'CC-1001' });
const UNKNOWN_GUESTS =
  'spec.owner: Owner group:default/guests is not a Group in the catalog';
const UNKNOWN_GHOSTS =
  'spec.owner: Owner group:default/ghosts is not a Group in the catalog';
const WRONG_COST_CENTER =
  'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)';

describe('PavedRoadOwnershipProcessor enforcement', () => {
  it('defaults to error on all entities, as before', async () => {
    const result = await run(stock(), {});
    expect(result.errors).toEqual([UNKNOWN_GUESTS]);
    expect(result.warnings).toEqual([]);
  });

  it.each(['all', 'paved-road'])(
    'error (scope %s): problems are processing errors, nothing on the entity',
    async scope => {
      const result = await run(byName('legacy-billing'), {
        enforcement: 'error',
        scope,
      });
      expect(result.errors).toEqual([WRONG_COST_CENTER]);
      expect(result.annotations).not.toHaveProperty(
        ANNOTATION_OWNERSHIP_PROBLEMS,
      );
    },
  );

  it.each(['all', 'paved-road'])(
    'warn (scope %s): problems are warnings on an enriched entity',
    async scope => {
      const result = await run(byName('legacy-billing'), {
        enforcement: 'warn',
        scope,
      });
      expect(result.errors).toEqual([]);
      expect(result.entity.metadata.annotations).toMatchObject({
        'paved-road.io/business-unit': 'group:default/payments',
        'paved-road.io/cost-center': 'CC-2001',
      });
      expect(result.relations).toBe(1);
      expect(result.annotations[ANNOTATION_OWNERSHIP_PROBLEMS]).toBe(
        JSON.stringify([WRONG_COST_CENTER]),
      );
      // The hygiene list reads them back as it reads errors
      expect(classifyHygieneMessage(result.warnings[0])).toBe(
        'cost-center-not-in-business-unit',
      );
    },
  );

  it.each(['all', 'paved-road'])(
    'off (scope %s): enriches and reports nothing',
    async scope => {
      const result = await run(byName('legacy-billing'), {
        enforcement: 'off',
        scope,
      });
      expect(result.errors).toEqual([]);
      expect(result.annotations).not.toHaveProperty(
        ANNOTATION_OWNERSHIP_PROBLEMS,
      );
      expect(result.entity.metadata.annotations).toMatchObject({
        'paved-road.io/business-unit': 'group:default/payments',
      });
    },
  );

  it('drops an ownership-problems annotation the author wrote', async () => {
    const forged = () =>
      component('checkout', {
        [ANNOTATION_OWNERSHIP_PROBLEMS]: JSON.stringify(['spec.owner: forged']),
      });
    for (const enforcement of ['error', 'off']) {
      const result = await run(forged(), { enforcement });
      expect(result.annotations).not.toHaveProperty(
        ANNOTATION_OWNERSHIP_PROBLEMS,
      );
    }
    const warned = await run(
      component('ghosts', {
        [ANNOTATION_OWNERSHIP_PROBLEMS]: JSON.stringify(['spec.owner: forged']),
      }),
      { enforcement: 'warn' },
    );
    expect(warned.warnings).toEqual([UNKNOWN_GHOSTS]);
  });

  it('warn reports a business unit without cost centers on the Group', async () => {
    const unit = byName('payments');
    unit.metadata.annotations!['paved-road.io/cost-centers'] = '';
    const result = await run(unit, { enforcement: 'warn' });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      'metadata.annotations.paved-road.io/cost-centers: a business unit needs at least one cost center',
    ]);
  });

  it('returns clean entities as they were, whatever the mode', async () => {
    for (const enforcement of ['error', 'warn', 'off']) {
      const entity = byName('orders-service');
      entity.metadata.annotations!['paved-road.io/business-unit'] =
        'group:default/payments';
      const result = await run(entity, { enforcement });
      expect(result.entity).toBe(entity);
      expect(result.errors).toEqual([]);
    }
  });
});

describe('PavedRoadOwnershipProcessor scope', () => {
  it.each(['error', 'warn', 'off'])(
    'paved-road (%s): returns entities without a paved-road.io/ annotation untouched',
    async enforcement => {
      const entity = stock();
      const result = await run(entity, { enforcement, scope: 'paved-road' });
      expect(result.entity).toBe(entity);
      expect(result.errors).toEqual([]);
      expect(result.relations).toBe(0);

      // Even one that would resolve gets no business unit
      const team = component('checkout');
      expect(
        (await run(team, { enforcement, scope: 'paved-road' })).entity,
      ).toBe(team);
    },
  );

  it('paved-road: judges annotated entities in the configured mode', async () => {
    expect(
      (await run(paved(), { enforcement: 'error', scope: 'paved-road' }))
        .errors,
    ).toEqual([UNKNOWN_GHOSTS]);
    const warned = await run(paved(), {
      enforcement: 'warn',
      scope: 'paved-road',
    });
    expect(warned.errors).toEqual([]);
    expect(warned.warnings).toEqual([UNKNOWN_GHOSTS]);
  });

  it('paved-road: still checks business-unit Groups', async () => {
    const unit = byName('payments');
    unit.metadata.annotations = {};
    const result = await run(unit, {
      enforcement: 'error',
      scope: 'paved-road',
    });
    expect(result.errors).toEqual([
      'metadata.annotations.paved-road.io/cost-centers: a business unit needs at least one cost center',
    ]);
  });

  it('all: judges entities without annotations too', async () => {
    const warned = await run(stock(), { enforcement: 'warn', scope: 'all' });
    expect(warned.warnings).toEqual([UNKNOWN_GUESTS]);
  });

  it.each([
    [{ enforcement: 'strict' }, 'pavedRoad.ownership.enforcement'],
    [{ scope: 'mine' }, 'pavedRoad.ownership.scope'],
  ])('rejects an unknown value at startup (%j)', async (ownership, key) => {
    await expect(run(stock(), ownership)).rejects.toThrow(
      new RegExp(`^${key.replace(/\./g, '\\.')} must be one of`),
    );
  });
});
