export { HygienePage } from './HygienePage';
