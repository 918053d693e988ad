export { deploymentsApiRef } from './DeploymentsApi';
export type {
  DeploymentsApi,
  ProjectCreationRecord,
  SettingsCostEstimate,
} from './DeploymentsApi';
export { DeploymentsClient } from './DeploymentsClient';
