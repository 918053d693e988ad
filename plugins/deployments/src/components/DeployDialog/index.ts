export { DeployDialog, DEFAULT_REF } from './DeployDialog';
