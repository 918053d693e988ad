export { DeploymentProgressPanel } from './DeploymentProgressPanel';
