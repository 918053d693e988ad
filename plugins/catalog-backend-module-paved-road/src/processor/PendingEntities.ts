/**
 * @public
 * Where the processor learns whether an entity the organisation snapshot
 * lacks is on its way into the catalog.
 */
export interface PendingEntitiesSource {
  /**
   * Whether the catalog has the entity registered and has not failed to
   * process it: it is waiting for its first processing, or was processed
   * moments ago and is not yet readable. False for an entity the catalog
   * does not know, or whose processing failed.
   */
  isPending(entityRef: string): Promise<boolean>;
}
