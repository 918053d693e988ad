export { EntityServiceLevelObjectivesCard } from './EntityServiceLevelObjectivesCard';
