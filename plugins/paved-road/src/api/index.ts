export { pavedRoadApiRef } from './PavedRoadApi';
export type { PavedRoadApi } from './PavedRoadApi';
export { PavedRoadClient } from './PavedRoadClient';
