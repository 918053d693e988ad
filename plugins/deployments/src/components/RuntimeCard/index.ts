export { RuntimeCard } from './RuntimeCard';
