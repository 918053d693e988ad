export interface Config {
  pavedRoad?: {
    /**
     * Format every cost center must match, as a regular expression. It is
     * always matched against the whole value. Shared with the Paved Road
     * catalog module.
     * @default "^CC-\\d{4,6}$"
     */
    costCenterPattern?: string;
  };
}
