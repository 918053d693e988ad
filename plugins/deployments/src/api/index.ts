export { deploymentsApiRef } from './DeploymentsApi';
export type { DeploymentsApi, ProjectCreationRecord } from './DeploymentsApi';
export { DeploymentsClient } from './DeploymentsClient';
