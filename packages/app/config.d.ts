export interface Config {
  pavedRoad?: {
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order:
       * `guest` and `sampleUsers` (embedded default) and/or `github`
       * (production).
       * @visibility frontend
       */
      providers?: Array<'guest' | 'sampleUsers' | 'github'>;
    };
    /**
     * Sample users offered on the sign-in page when `sampleUsers` is among
     * the providers (backend: the sample-users auth module).
     */
    sampleUsers?: Array<{
      /** @visibility frontend */
      id: string;
      /** @visibility frontend */
      title: string;
      /** @visibility frontend */
      description?: string;
    }>;
  };
}
