/*
 * For the catalog benchmark (BENCH_MODULE=bare): a processor that writes only
 * what the Paved Road module must write on a benchmark component (the
 * business-unit annotation, the default cost center when none is authored,
 * and the partOfBusinessUnit relation), computed from the benchmark's own
 * naming instead of the organisation. Compared with no module, it measures
 * what the catalog itself spends on storing that output, the floor under any
 * implementation of the module.
 *
 * BENCH_MODULE=noop: a processor that returns every entity as it came and
 * emits nothing, what the engine spends on one more processor at all.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  catalogProcessingExtensionPoint,
  processingResult,
} from '@backstage/plugin-catalog-node';

/** `team-<t>` belongs to `bu-<t % units>`, whose default is CC-1000 + 10b. */
function unitOf(entity: Entity, units: number) {
  const team = Number(String(entity.spec?.owner).replace('team-', ''));
  return team % units;
}

export function createBareOutputProcessor(businessUnits: number) {
  return {
    getProcessorName: () => 'BareOutputProcessor',
    // One stage, as the module: each stage a processor implements costs the
    // engine a tracing span and wrappers per entity.
    async preProcessEntity(
      entity: Entity,
      _location: LocationSpec,
      emit: CatalogProcessorEmit,
    ) {
      if (entity.kind !== 'Component') {
        return entity;
      }
      const unit = unitOf(entity, businessUnits);
      emit(
        processingResult.relation({
          source: {
            kind: 'component',
            namespace: 'default',
            name: entity.metadata.name,
          },
          type: 'partOfBusinessUnit',
          target: { kind: 'group', namespace: 'default', name: `bu-${unit}` },
        }),
      );
      const annotations = { ...entity.metadata.annotations };
      annotations['paved-road.io/business-unit'] = `group:default/bu-${unit}`;
      annotations['paved-road.io/cost-center'] ??= `CC-${1000 + unit * 10}`;
      return { ...entity, metadata: { ...entity.metadata, annotations } };
    },
  };
}

export function createBareOutputModule(businessUnits: number) {
  return moduleWith(
    'bench-bare-output',
    createBareOutputProcessor(businessUnits),
  );
}

export function createNoOpModule() {
  return moduleWith('bench-no-op', {
    getProcessorName: () => 'NoOpProcessor',
    async preProcessEntity(entity: Entity) {
      return entity;
    },
  });
}

function moduleWith(moduleId: string, processor: CatalogProcessor) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.addProcessor(processor);
        },
      });
    },
  });
}
