/**
 * Paved Road backend: the one audit trail, project records and the catalog
 * hygiene list, under `/api/paved-road`.
 *
 * @packageDocumentation
 */
export { pavedRoadPlugin as default } from './plugin';
