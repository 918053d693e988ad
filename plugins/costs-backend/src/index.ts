export { costsPlugin as default } from './plugin';
