export interface Config {
  auth?: {
    providers?: {
      /** Sign-in as one of `pavedRoad.sampleUsers`. */
      sampleUsers?: {
        /**
         * Like the guest provider, sample users are refused outside
         * NODE_ENV=development unless this is true.
         * @default false
         */
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
  pavedRoad?: {
    /**
     * People one can sign in as without a password, on a development
     * machine, to try both sides of the permission rules. Never configure
     * these in production.
     */
    sampleUsers?: Array<{
      /** Short id the sign-in page sends, e.g. `admin`. */
      id: string;
      /**
       * The catalog User to sign in as, e.g. `user:default/admin`. Its
       * groups (memberOf) become the session's ownership refs.
       */
      userEntityRef: string;
      /** Name shown on the sign-in page. */
      title: string;
      /** One line under the name, e.g. the user's team. */
      description?: string;
    }>;
  };
}
