import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  pavedRoad?: {
    /**
     * Format every cost center must match, as a regular expression. It is
     * always matched against the whole value.
     * @default "^CC-\\d{4,6}$"
     */
    costCenterPattern?: string;
    ownership?: {
      /**
       * What an ownership or cost-center problem does to the entity.
       * `error`: a catalog processing error; the entity keeps its last good
       * version (and one never stored is not stored) until fixed. `warn`:
       * the entity is stored and keeps updating, enriched with whatever
       * resolves, and each problem is kept on it as a `status.items` entry
       * of type `paved-road.io/ownership` with level `warning` (the hygiene
       * list shows it as a warning). `off`: enriched with whatever
       * resolves, nothing reported.
       * @default "error"
       */
      enforcement?: 'error' | 'warn' | 'off';
      /**
       * Which entities the processor handles. `all`: every Component,
       * Resource, System and API. `paved-road`: only those carrying at least
       * one `paved-road.io/` annotation (everything the Paved Road templates
       * create does); business-unit Groups are handled in both. Entities
       * out of scope are returned untouched.
       * @default "all"
       */
      scope?: 'all' | 'paved-road';
    };
    catalog?: {
      /**
       * How often the in-memory organisation snapshot (all Groups and
       * Systems) is reloaded from the catalog. Org changes, such as a team
       * moving to another business unit, show on entities processed after
       * the next reload.
       * @default { frequency: { seconds: 30 }, timeout: { seconds: 60 } }
       */
      orgRefresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
