export interface Config {
  pavedRoad?: {
    permissions?: {
      /**
       * Groups whose members (directly or through a child group) may do
       * everything, e.g. `group:default/platform-admins`.
       * @default []
       */
      adminGroups?: string[];
      /**
       * Groups whose members (directly or through a child group) may
       * register and unregister catalog locations, delete entities and
       * manage templates, e.g. `group:default/platform-engineers`.
       * @default []
       */
      platformEngineerGroups?: string[];
      /**
       * How long the group hierarchy read from the catalog is reused before
       * it is read again. Membership changes take effect after at most this
       * long.
       * @default 30
       */
      groupCacheSeconds?: number;
    };
  };
}
