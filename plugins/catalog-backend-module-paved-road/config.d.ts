import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  pavedRoad?: {
    /**
     * Format every cost center must match, as a regular expression. It is
     * always matched against the whole value.
     * @default "^CC-\\d{4,6}$"
     */
    costCenterPattern?: string;
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
