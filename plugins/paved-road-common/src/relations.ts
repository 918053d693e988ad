/**
 * @public
 * Relation from a Component, Resource, System or API to the business-unit
 * Group it rolls up to (through its owner's `spec.parent` chain).
 */
export const RELATION_PART_OF_BUSINESS_UNIT = 'partOfBusinessUnit';

/** @public Reverse of {@link RELATION_PART_OF_BUSINESS_UNIT}, on the Group. */
export const RELATION_HAS_BUSINESS_UNIT_PART = 'hasBusinessUnitPart';
