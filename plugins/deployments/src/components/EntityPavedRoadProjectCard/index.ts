export { EntityPavedRoadProjectCard } from './EntityPavedRoadProjectCard';
