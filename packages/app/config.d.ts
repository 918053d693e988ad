export interface Config {
  pavedRoad?: {
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order:
       * `guest` (embedded default) and/or `github` (production).
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github'>;
    };
  };
}
